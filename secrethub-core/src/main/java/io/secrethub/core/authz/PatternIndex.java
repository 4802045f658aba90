package io.secrethub.core.authz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wildcard rules of an ACL, indexed by a character trie over their literal prefixes (the text
 * before the first {@code +} or {@code *}).
 *
 * <p>Vault's first priority criterion is the position of the first wildcard, which is exactly the
 * literal prefix's length, i.e. the trie depth. So a lookup walks the path down the trie and tries
 * the deepest node first; within a node, rules are pre-sorted by the remaining criteria, and the
 * first that matches decides. A check touches only the rules whose prefix the path starts with,
 * and allocates nothing.
 */
final class PatternIndex {

    /** Returned by {@link #lookup} when no rule matches. */
    static final int NO_MATCH = -1;

    private final Node root;

    private PatternIndex(Node root) {
        this.root = root;
    }

    /**
     * Builds the index.
     *
     * @param rules wildcard patterns and their merged capability masks
     */
    static PatternIndex build(Map<PathPattern, Integer> rules) {
        MutableNode root = new MutableNode();
        rules.forEach((pattern, mask) -> {
            MutableNode node = root;
            String prefix = pattern.literalPrefix();
            for (int i = 0; i < prefix.length(); i++) {
                node = node.children.computeIfAbsent(prefix.charAt(i), c -> new MutableNode());
            }
            node.rules.add(new Rule(pattern, mask));
        });
        return new PatternIndex(root.freeze());
    }

    /** The mask of the highest-priority matching rule, or {@link #NO_MATCH}. */
    int lookup(String path) {
        return lookup(root, path, 0);
    }

    /** Deepest node first: recursion unwinds from the longest literal prefix the path has. */
    private static int lookup(Node node, String path, int depth) {
        if (depth < path.length()) {
            Node child = node.child(path.charAt(depth));
            if (child != null) {
                int mask = lookup(child, path, depth + 1);
                if (mask != NO_MATCH) {
                    return mask;
                }
            }
        }
        for (Rule rule : node.rules) {
            if (rule.pattern.matchesAfterPrefix(path)) {
                return rule.mask;
            }
        }
        return NO_MATCH;
    }

    private static final class Rule {
        final PathPattern pattern;
        final int mask;

        Rule(PathPattern pattern, int mask) {
            this.pattern = pattern;
            this.mask = mask;
        }
    }

    /** An immutable trie node: children by character (sorted, for binary search) and rules by priority. */
    private static final class Node {
        private static final Rule[] NO_RULES = {};

        final char[] keys;
        final Node[] children;
        final Rule[] rules;

        Node(char[] keys, Node[] children, Rule[] rules) {
            this.keys = keys;
            this.children = children;
            this.rules = rules;
        }

        Node child(char c) {
            char[] k = keys;
            if (k.length <= 8) {
                for (int i = 0; i < k.length; i++) {
                    if (k[i] == c) {
                        return children[i];
                    }
                }
                return null;
            }
            int i = Arrays.binarySearch(k, c);
            return i >= 0 ? children[i] : null;
        }
    }

    private static final class MutableNode {
        final TreeMap<Character, MutableNode> children = new TreeMap<>();
        final List<Rule> rules = new ArrayList<>();

        Node freeze() {
            char[] keys = new char[children.size()];
            Node[] frozen = new Node[children.size()];
            int i = 0;
            for (Map.Entry<Character, MutableNode> entry : children.entrySet()) {
                keys[i] = entry.getKey();
                frozen[i++] = entry.getValue().freeze();
            }
            rules.sort((a, b) -> PathPattern.BY_PRIORITY.compare(b.pattern, a.pattern));
            return new Node(keys, frozen, rules.isEmpty() ? Node.NO_RULES : rules.toArray(new Rule[0]));
        }
    }
}
