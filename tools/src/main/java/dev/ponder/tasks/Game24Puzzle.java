package dev.ponder.tasks;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A puzzle of the 4nums.com list: its rank by human solving time (1 = easiest) and its numbers as listed.
 */
public record Game24Puzzle(int rank, List<Integer> numbers) {

    public Game24Puzzle {
        numbers = List.copyOf(numbers);
    }

    /** Parses {@code "4 9 10 13"}. */
    public static Game24Puzzle of(int rank, String numbers) {
        return new Game24Puzzle(rank, Arrays.stream(numbers.trim().split("\\s+")).map(Integer::valueOf).toList());
    }

    /** The multiset key: the numbers sorted ascending ("4 9 10 13"); puzzles are equal up to order iff keys are. */
    public String key() {
        return key(numbers);
    }

    public static String key(List<Integer> numbers) {
        return numbers.stream().sorted().map(String::valueOf).collect(Collectors.joining(" "));
    }

    /** The numbers as fractions, in the listed order. */
    public List<Fraction> fractions() {
        return numbers.stream().map(n -> Fraction.of(n)).toList();
    }

    /** The numbers as listed, space separated. */
    public String text() {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
