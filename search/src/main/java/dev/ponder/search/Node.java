package dev.ponder.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A node of a search tree: a chain reached by appending {@link #step()} to the parent's chain. */
final class Node {

    final String id;
    final Node parent;
    /** Null for the root. */
    final Step step;
    final Chain chain;

    Node(String id, Node parent, Step step, Chain chain) {
        this.id = id;
        this.parent = parent;
        this.step = step;
        this.chain = chain;
    }

    int depth() {
        return chain.depth();
    }

    /** Node ids from the root down to this node. */
    List<String> path() {
        List<String> ids = new ArrayList<>();
        for (Node n = this; n != null; n = n.parent) {
            ids.add(n.id);
        }
        Collections.reverse(ids);
        return ids;
    }
}
