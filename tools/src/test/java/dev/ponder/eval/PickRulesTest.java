package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.eval.PickRules.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PickRulesTest {

    @Test
    void readsWrongPicksAnswersAndCountsWhatEachRuleWouldSolve(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("picks.txt.answers.jsonl");
        Files.writeString(file, String.join("\n",
                // best score wrong, most votes right
                "{\"rank\":1,\"puzzle\":\"1 2 3 4\",\"answers\":[{\"answer\":\"a\",\"score\":0.99,\"votes\":2,\"right\":false},"
                        + "{\"answer\":\"b\",\"score\":0.97,\"votes\":9,\"right\":true}]}",
                // best score right, most votes wrong
                "{\"rank\":2,\"puzzle\":\"1 1 4 6\",\"answers\":[{\"answer\":\"c\",\"score\":0.9,\"votes\":1,\"right\":true},"
                        + "{\"answer\":\"d\",\"score\":0.2,\"votes\":5,\"right\":false}]}",
                // nothing right
                "{\"rank\":3,\"puzzle\":\"1 1 1 1\",\"answers\":[{\"answer\":\"e\",\"score\":0.5,\"votes\":3,\"right\":false}]}",
                ""));
        List<List<Answer>> puzzles = PickRules.read(file);
        assertEquals(3, puzzles.size());
        assertEquals(new Answer(0.97, 9, true), puzzles.get(0).get(1));
        assertEquals(1, PickRules.solved(puzzles, (p, a) -> a.score()), "the best score solves only the second");
        assertEquals(1, PickRules.solved(puzzles, (p, a) -> a.votes()), "votes solve only the first");
        // log score + log votes picks 'b' (log .97 + log 9 beats log .99 + log 2) and 'd' (log .2 + log 5 = 0 beats log .9);
        // with half the weight on votes, 'c' wins the second
        assertEquals(1, PickRules.solved(puzzles, (p, a) -> Math.log(a.score()) + Math.log(a.votes())));
        assertEquals(2, PickRules.solved(puzzles, (p, a) -> Math.log(a.score()) + 0.5 * Math.log(a.votes())));
    }
}
