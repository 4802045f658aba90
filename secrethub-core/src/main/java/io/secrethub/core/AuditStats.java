package io.secrethub.core;

/**
 * Group-commit figures of one instance's audit writer since it started, for benchmarks and monitoring
 * (other instances sharing the database keep their own).
 *
 * @param batches    transactions written
 * @param records    audit records written in them
 * @param batchNanos time spent writing them, in nanoseconds
 * @param queued     records waiting to be written when the figures were taken
 */
public record AuditStats(long batches, long records, long batchNanos, int queued) {

    /** The batches written since {@code earlier}, a reading of the same writer; {@code queued} is this reading's. */
    public AuditStats since(AuditStats earlier) {
        return new AuditStats(batches - earlier.batches, records - earlier.records, batchNanos - earlier.batchNanos,
                queued);
    }

    /** Mean records per batch; 0 before the first batch. */
    public double recordsPerBatch() {
        return batches == 0 ? 0 : (double) records / batches;
    }

    /** Mean time per batch in milliseconds; 0 before the first batch. */
    public double millisPerBatch() {
        return batches == 0 ? 0 : batchNanos / 1e6 / batches;
    }

    @Override
    public String toString() {
        return String.format("%d batches, %d records, %.1f records/batch, %.2f ms/batch, %d queued",
                batches, records, recordsPerBatch(), millisPerBatch(), queued);
    }
}
