package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs searches to completion and checks that their events form a valid tree. */
final class EventChecks {

    private EventChecks() {
    }

    static List<SearchEvent> collect(Multi<SearchEvent> events) {
        return events.collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    static SearchResult result(List<SearchEvent> events) {
        return ((SearchEvent.Finished) events.get(events.size() - 1)).result();
    }

    /** The events with wall-clock time zeroed, for comparing two runs. */
    static List<SearchEvent> withoutTiming(List<SearchEvent> events) {
        List<SearchEvent> out = new ArrayList<>();
        for (SearchEvent e : events) {
            if (e instanceof SearchEvent.Finished f) {
                SearchResult r = f.result();
                Usage u = r.usage();
                out.add(new SearchEvent.Finished(new SearchResult(r.strategy(), r.chain(), r.path(), r.answer(),
                        r.score(), r.cutShort(), r.alternatives(),
                        new Usage(u.nodes(), u.generatedTokens(), u.selfChecks(), u.modelCalls(), 0, u.expandedNodes(),
                                u.proposedChildren(), u.distinctChildren()))));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The root comes first; every node's parent was proposed before it, ids are unique, depths grow by
     * one; scored and pruned nodes exist (pruned once); best paths run from the root along parent links;
     * exactly one Finished comes last and its chain is the last best announced.
     */
    static void assertValidTree(List<SearchEvent> events) {
        assertTrue(!events.isEmpty(), "no events");
        SearchEvent first = events.get(0);
        assertEquals(new SearchEvent.NodeProposed(SearchEvent.ROOT, null, null, 0), first, "root first");
        Map<String, String> parent = new HashMap<>();
        Map<String, Integer> depth = new HashMap<>();
        parent.put(SearchEvent.ROOT, null);
        depth.put(SearchEvent.ROOT, 0);
        Set<String> pruned = new HashSet<>();
        SearchEvent.BestChanged lastBest = null;
        for (int i = 1; i < events.size(); i++) {
            SearchEvent e = events.get(i);
            boolean last = i == events.size() - 1;
            if (e instanceof SearchEvent.NodeProposed p) {
                assertTrue(!parent.containsKey(p.nodeId()), "duplicate id " + p.nodeId());
                assertTrue(p.parentId() != null && parent.containsKey(p.parentId()),
                        "parent of " + p.nodeId() + " not proposed before it: " + p.parentId());
                assertEquals(depth.get(p.parentId()) + 1, p.depth(), "depth of " + p.nodeId());
                assertTrue(p.step() != null, "step of " + p.nodeId());
                parent.put(p.nodeId(), p.parentId());
                depth.put(p.nodeId(), p.depth());
            } else if (e instanceof SearchEvent.NodeScored s) {
                assertTrue(parent.containsKey(s.nodeId()), "scored unknown node " + s.nodeId());
                assertTrue(!Double.isNaN(s.score()), "NaN score");
            } else if (e instanceof SearchEvent.NodePruned p) {
                assertTrue(parent.containsKey(p.nodeId()), "pruned unknown node " + p.nodeId());
                assertTrue(pruned.add(p.nodeId()), "pruned twice " + p.nodeId());
            } else if (e instanceof SearchEvent.BestChanged b) {
                assertPath(parent, b.path());
                lastBest = b;
            } else if (e instanceof SearchEvent.Finished f) {
                assertTrue(last, "Finished is not last");
                SearchResult r = f.result();
                assertPath(parent, r.path());
                if (lastBest != null) {
                    assertEquals(lastBest.path(), r.path(), "result path is the last best");
                    assertEquals(lastBest.chainText(), r.chain().text(), "result chain is the last best");
                } else {
                    assertEquals(List.of(SearchEvent.ROOT), r.path());
                }
                assertEquals(events.stream().filter(x -> x instanceof SearchEvent.NodeProposed).count() - 1,
                        r.usage().nodes(), "usage.nodes counts proposed nodes");
            }
        }
        assertTrue(events.get(events.size() - 1) instanceof SearchEvent.Finished, "last event is Finished");
    }

    private static void assertPath(Map<String, String> parent, List<String> path) {
        assertEquals(SearchEvent.ROOT, path.get(0), "path starts at the root");
        assertNull(parent.get(SearchEvent.ROOT));
        for (int i = 1; i < path.size(); i++) {
            assertEquals(path.get(i - 1), parent.get(path.get(i)), "path follows parent links: " + path);
        }
    }
}
