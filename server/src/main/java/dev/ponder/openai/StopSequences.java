package dev.ponder.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.reason.ReasonResult;
import dev.ponder.search.Answers;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code stop}: up to four strings; the reply's text ends before the first of them. ponder applies it
 * to the chosen chain (the generated text): the chain is cut there, its answer is taken from what is left, and the
 * finish reason is {@code stop}. The search itself runs as it would without them.
 */
final class StopSequences {

    static final int MAX = 4;
    static final StopSequences NONE = new StopSequences(List.of());

    private final List<String> stops;

    private StopSequences(List<String> stops) {
        this.stops = stops;
    }

    /** From the request's {@code stop}: absent, a string, or an array of at most four non-empty strings. */
    static StopSequences of(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return NONE;
        }
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray()) {
            if (stop.size() > MAX) {
                throw invalid("stop holds " + stop.size() + " sequences; at most " + MAX);
            }
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw invalid("stop must be a string or an array of strings, holds " + s.getNodeType().name().toLowerCase());
                }
                out.add(s.asText());
            }
        } else {
            throw invalid("stop must be a string or an array of strings, is " + stop.getNodeType().name().toLowerCase());
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw invalid("stop sequences must not be empty");
        }
        return new StopSequences(List.copyOf(out));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemDetail.badRequest("invalid-stop", "Invalid stop sequences", detail).withParam("stop"));
    }

    /** Where the first stop sequence starts in {@code text}, or -1. */
    int find(String text) {
        int first = -1;
        for (String s : stops) {
            int i = text.indexOf(s);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        return first;
    }

    /** {@code text} up to its first stop sequence. */
    String cut(String text) {
        int i = find(text);
        return i < 0 ? text : text.substring(0, i);
    }

    /** Characters at the end of a growing text that may be the start of a stop sequence (held back while streaming). */
    int holdBack() {
        return stops.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /** What the OpenAI reply says of a result: its text, its answer (the content) and the finish reason. */
    record Reply(String text, String content, String finishReason) {
    }

    Reply reply(ReasonResult r) {
        int at = find(r.text());
        if (at < 0) {
            return new Reply(r.text(), r.answer() != null ? r.answer() : r.text(), r.finishReason());
        }
        String text = r.text().substring(0, at);
        String answer = Answers.lastBoxed(text);
        return new Reply(text, answer != null ? answer : text, "stop");
    }
}
