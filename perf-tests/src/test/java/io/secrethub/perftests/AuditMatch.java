package io.secrethub.perftests;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditRecord;
import io.secrethub.core.SecretHub;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Matches the audit log against what callers were told, for the fault suites: every acknowledged read and write
 * has a success record, and no success record stands for a call whose caller got an error.
 *
 * <p>Request ids are not handed to callers, so records are matched by what identifies a call from outside: each
 * agent has its own token (the record carries the HMAC of its accessor, see {@code audit().hashAccessor}), its
 * reads are {@code secrets.read} records, and its writes are {@code secrets.write} records whose detail names the
 * version the write got ({@code version=N}), which the caller was told. A failed write that left a success record
 * shows as a version no acknowledged write got, or as a version recorded twice (the failed write's number is
 * handed to the next write after its rollback); a failed read that left one shows as more read successes than
 * acknowledged reads. A success the log itself corrected (a later record with the same request id and outcome
 * {@code ERROR}) is not counted as a success, and is reported apart.
 */
final class AuditMatch {

    private static final int PAGE = 10_000;

    /**
     * What one caller (one token) was told.
     *
     * @param label names the caller in messages (say, {@code agent 7}); never the token or accessor
     * @param accessor the token's accessor
     * @param reads how many {@code secrets.read} calls returned
     * @param writeVersions the versions of the {@code secrets.write} calls that returned
     */
    record Expected(String label, String accessor, long reads, List<Integer> writeVersions) {
    }

    /**
     * @param records records in the log
     * @param matched acknowledged calls with their success record
     * @param missing acknowledged calls without a success record
     * @param unacknowledgedSuccesses success records (not corrected) of calls whose caller was not told success
     * @param corrected success records that a later record of the same request marked as not completed
     * @param examples a few of the mismatches, for the failure message
     * @param unacknowledgedWrites per caller label, the versions of write success records no acknowledged write got
     */
    record Outcome(long records, long matched, long missing, long unacknowledgedSuccesses, long corrected,
            List<String> examples, Map<String, List<Integer>> unacknowledgedWrites) {

        @Override
        public String toString() {
            return records + " audit records; " + matched + " acknowledged calls matched; " + missing
                    + " acknowledged without a success record; " + unacknowledgedSuccesses
                    + " success records of calls not acknowledged; " + corrected
                    + " successes corrected by a later record" + (examples.isEmpty() ? "" : "; e.g. " + examples);
        }
    }

    /** One call as the log has it. */
    private static final class Call {
        final String accessorHmac;
        final String operation;
        int version = -1;
        boolean success;
        boolean corrected;

        Call(String accessorHmac, String operation) {
            this.accessorHmac = accessorHmac;
            this.operation = operation;
        }
    }

    private AuditMatch() {
    }

    static Outcome match(SecretHub hub, String rootToken, Collection<Expected> expected) {
        Map<String, Expected> byHmac = new HashMap<>();
        for (Expected e : expected) {
            byHmac.put(hub.audit().hashAccessor(rootToken, e.accessor()), e);
        }
        Map<UUID, Call> calls = new LinkedHashMap<>();
        long records = 0;
        for (long from = 1; ; ) {
            List<AuditRecord> page = hub.audit().records(rootToken, from, PAGE);
            for (AuditRecord r : page) {
                records++;
                if (r.accessorHmac() == null || !byHmac.containsKey(r.accessorHmac())
                        || !(r.operation().equals("secrets.read") || r.operation().equals("secrets.write"))) {
                    continue;
                }
                Call call = calls.computeIfAbsent(r.requestId(), id -> new Call(r.accessorHmac(), r.operation()));
                if (r.outcome() == AuditOutcome.SUCCESS) {
                    call.success = true;
                    call.version = version(r.detail());
                } else if (call.success) {
                    call.corrected = true;
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }

        Map<String, Long> readSuccesses = new HashMap<>();
        Map<String, Map<Integer, Integer>> writeSuccesses = new HashMap<>();
        long corrected = 0;
        for (Call call : calls.values()) {
            if (call.corrected) {
                corrected++;
            } else if (call.success && call.operation.equals("secrets.read")) {
                readSuccesses.merge(call.accessorHmac, 1L, Long::sum);
            } else if (call.success) {
                writeSuccesses.computeIfAbsent(call.accessorHmac, k -> new HashMap<>()).merge(call.version, 1,
                        Integer::sum);
            }
        }

        long matched = 0;
        long missing = 0;
        long extra = 0;
        List<String> examples = new ArrayList<>();
        Map<String, List<Integer>> unacknowledgedWrites = new LinkedHashMap<>();
        for (Map.Entry<String, Expected> entry : byHmac.entrySet()) {
            Expected e = entry.getValue();
            long logged = readSuccesses.getOrDefault(entry.getKey(), 0L);
            matched += Math.min(logged, e.reads());
            if (logged != e.reads()) {
                missing += Math.max(0, e.reads() - logged);
                extra += Math.max(0, logged - e.reads());
                note(examples, e.label() + ": " + e.reads() + " reads acknowledged, " + logged
                        + " read successes logged");
            }
            Map<Integer, Integer> versions = new HashMap<>(writeSuccesses.getOrDefault(entry.getKey(), Map.of()));
            for (int v : e.writeVersions()) {
                Integer n = versions.get(v);
                if (n == null) {
                    missing++;
                    note(examples, e.label() + ": write of version " + v + " acknowledged, not logged");
                } else {
                    matched++;
                    if (n == 1) {
                        versions.remove(v);
                    } else {
                        versions.put(v, n - 1);
                    }
                }
            }
            for (Map.Entry<Integer, Integer> left : versions.entrySet()) {
                extra += left.getValue();
                for (int i = 0; i < left.getValue(); i++) {
                    unacknowledgedWrites.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(left.getKey());
                }
                note(examples, e.label() + ": " + left.getValue() + " success record(s) of a write of"
                        + " version " + left.getKey() + " that no acknowledged write got");
            }
        }
        return new Outcome(records, matched, missing, extra, corrected, examples, unacknowledgedWrites);
    }

    private static int version(String detail) {
        if (detail != null && detail.startsWith("version=")) {
            try {
                return Integer.parseInt(detail.substring("version=".length()).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static void note(List<String> examples, String example) {
        if (examples.size() < 5) {
            examples.add(example);
        }
    }
}
