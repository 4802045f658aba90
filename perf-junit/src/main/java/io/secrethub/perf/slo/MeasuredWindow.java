package io.secrethub.perf.slo;

/**
 * The figures of one window of a run, for SLOs that must hold in every window.
 *
 * @param index the window's position, from 0
 * @param startSeconds its start, in seconds since the measured start
 * @param endSeconds its end; a last window may be shorter than the others
 * @param figures what was measured in it
 */
public record MeasuredWindow(int index, double startSeconds, double endSeconds, MeasuredScope figures) {
}
