package io.secrethub.perf.engine;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The stop-the-world GC pauses of the measured part ({@code @MaxGcPause}). Count and total come from the
 * collectors' own counters, read at the start and the end, so they are exact; the longest pause is the longest of
 * the GC notifications that arrived and of each collector's last collection (notifications come from the JVM's
 * service thread, a little after the pause, so the last one may not have arrived when the run ends). Collectors'
 * concurrent cycles (G1's "G1 Concurrent GC", ZGC's and Shenandoah's "Cycles" beans) are not pauses and are left
 * out. Millisecond resolution, as the JVM reports them.
 */
final class GcPauses implements NotificationListener {

    /** The figures when no collector reports pauses. */
    static final long UNAVAILABLE = -1;

    private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final long[] countAtStart;
    private final long[] millisAtStart;
    private final AtomicLong notifiedMaxMillis = new AtomicLong();
    private long count;
    private long totalMillis;
    private long maxMillis;

    private GcPauses() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (isPausing(collector.getName())) {
                collectors.add(collector);
            }
        }
        countAtStart = new long[collectors.size()];
        millisAtStart = new long[collectors.size()];
    }

    /** Starts counting. */
    static GcPauses start() {
        GcPauses pauses = new GcPauses();
        for (int i = 0; i < pauses.collectors.size(); i++) {
            GarbageCollectorMXBean collector = pauses.collectors.get(i);
            pauses.countAtStart[i] = collector.getCollectionCount();
            pauses.millisAtStart[i] = collector.getCollectionTime();
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(pauses, null, null);
                pauses.emitters.add(emitter);
            }
        }
        return pauses;
    }

    private static boolean isPausing(String collector) {
        return !collector.contains("Concurrent") && !collector.contains("Cycles");
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        if (isPausing(info.getGcName())) {
            notifiedMaxMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
        }
    }

    /** Stops counting; afterwards the figures no longer change. */
    void stop() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException alreadyGone) {
                // nothing to undo
            }
        }
        maxMillis = notifiedMaxMillis.get();
        for (int i = 0; i < collectors.size(); i++) {
            GarbageCollectorMXBean collector = collectors.get(i);
            long collections = collector.getCollectionCount() - countAtStart[i];
            count += collections;
            totalMillis += collector.getCollectionTime() - millisAtStart[i];
            if (collections > 0 && collector instanceof com.sun.management.GarbageCollectorMXBean detailed) {
                GcInfo last = detailed.getLastGcInfo();
                if (last != null) {
                    maxMillis = Math.max(maxMillis, last.getDuration());
                }
            }
        }
    }

    /** The longest pause, or {@link #UNAVAILABLE} when no collector reports pauses. */
    long maxNanos() {
        return collectors.isEmpty() ? UNAVAILABLE : maxMillis * 1_000_000;
    }

    /** All pauses together, or {@link #UNAVAILABLE}. */
    long totalNanos() {
        return collectors.isEmpty() ? UNAVAILABLE : totalMillis * 1_000_000;
    }

    /** How many pauses there were. */
    long count() {
        return count;
    }
}
