package io.secrethub.core.auth;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.RateLimitedException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token bucket per client address for calls that present no token (agent certificate verification, failed
 * AppRole logins), checked <em>before</em> the call does any work, so a flood from one address costs neither a
 * durable audit record nor a database round trip per call. Refused calls throw {@link RateLimitedException} and
 * are not audited (that is the point); they are counted and logged at most once a minute.
 *
 * <p>Bounded: at most {@code maxAddresses} buckets. When full, buckets whose allowance has grown back to the burst
 * (idle addresses: forgetting them loses nothing) go first, then arbitrary ones down to three quarters, so an
 * attacker with many addresses costs bounded memory (and gains no more than the addresses it has). IPv6 addresses
 * count per /64, the block one subscriber usually holds, so one host cannot rotate through 2^64 buckets.
 *
 * <p>Calls without a client address (the embedding application calling in-process; the server always names the
 * caller's address) are not limited.
 */
public final class AddressRateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(AddressRateLimiter.class);
    private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_KEY_LENGTH = 64;

    /** One address's allowance: {@code tokens} as of {@code updated}, earned back at the configured rate. */
    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }
    }

    private final RateLimitSettings settings;
    private final LongSupplier nanos;
    private final double perNano;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ReentrantLock evicting = new ReentrantLock();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong lastReport;

    public AddressRateLimiter(RateLimitSettings settings) {
        this(settings, System::nanoTime);
    }

    AddressRateLimiter(RateLimitSettings settings, LongSupplier nanos) {
        this.settings = settings;
        this.nanos = nanos;
        this.perNano = settings.perSecond() / 1e9;
        this.lastReport = new AtomicLong(nanos.getAsLong());
    }

    /**
     * Charges one call to {@code address} (every certificate verification), or refuses it.
     *
     * @param what the call, for the message
     * @throws RateLimitedException if the address has no call left
     */
    public void acquire(String address, String what) {
        if (!settings.enabled() || address == null) {
            return;
        }
        long now = nanos.getAsLong();
        Bucket bucket = bucket(key(address), now);
        long wait;
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return;
            }
            wait = waitNanos(bucket);
        }
        throw refuse(address, what, wait);
    }

    /**
     * Refuses a call from {@code address} if it has no call left, without charging it: logins are charged only when
     * they fail ({@link #charge}), so a busy address that logs in successfully is never limited.
     *
     * @throws RateLimitedException if the address has no call left
     */
    public void check(String address, String what) {
        if (!settings.enabled() || address == null) {
            return;
        }
        long now = nanos.getAsLong();
        Bucket bucket = buckets.get(key(address));
        if (bucket == null) {
            return;
        }
        long wait;
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                return;
            }
            wait = waitNanos(bucket);
        }
        throw refuse(address, what, wait);
    }

    /**
     * Charges a failed call to {@code address}. Calls that passed {@link #check} at the same moment may take the
     * allowance below zero (at most to minus the burst): that debt is paid back before the address is let in again.
     */
    public void charge(String address) {
        if (!settings.enabled() || address == null) {
            return;
        }
        long now = nanos.getAsLong();
        Bucket bucket = bucket(key(address), now);
        synchronized (bucket) {
            refill(bucket, now);
            bucket.tokens = Math.max(-settings.burst(), bucket.tokens - 1);
        }
    }

    /** Addresses tracked now (tests). */
    int tracked() {
        return buckets.size();
    }

    private Bucket bucket(String key, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= settings.maxAddresses()) {
            evict(now);
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(settings.burst(), now));
    }

    /** Makes room: idle addresses first (nothing is lost), then any, down to three quarters of the bound. */
    private void evict(long now) {
        if (!evicting.tryLock()) {
            return; // another thread is making room; the bound may be passed by the callers racing it
        }
        try {
            int target = settings.maxAddresses() - settings.maxAddresses() / 4;
            for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext();) {
                Bucket b = it.next().getValue();
                synchronized (b) {
                    refill(b, now);
                    if (b.tokens >= settings.burst()) {
                        it.remove();
                    }
                }
            }
            for (Iterator<String> it = buckets.keySet().iterator(); it.hasNext() && buckets.size() > target;) {
                it.next();
                it.remove();
            }
        } finally {
            evicting.unlock();
        }
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = now - bucket.updated;
        if (elapsed > 0) {
            bucket.tokens = Math.min(settings.burst(), bucket.tokens + elapsed * perNano);
            bucket.updated = now;
        }
    }

    private long waitNanos(Bucket bucket) {
        return (long) Math.ceil((1 - bucket.tokens) / perNano);
    }

    private RateLimitedException refuse(String address, String what, long waitNanos) {
        refused.increment();
        long now = nanos.getAsLong();
        long last = lastReport.get();
        if (now - last >= REPORT_EVERY_NANOS && lastReport.compareAndSet(last, now)) {
            LOG.warn("refused {} calls without a token over their per-address rate limit ({}/s, burst {}) in the last"
                    + " {} s; latest: {} from {}", refused.sumThenReset(), settings.perSecond(), settings.burst(),
                    TimeUnit.NANOSECONDS.toSeconds(now - last), what, printable(address));
        }
        Duration retryAfter = Duration.ofNanos(Math.max(waitNanos, 0));
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new RateLimitedException("too many " + what + " calls from this client address; retry in " + seconds
                + " s", retryAfter);
    }

    /** The bucket key: an IPv4 address, the /64 of an IPv6 address, or (not a literal) the text itself, bounded. */
    static String key(String address) {
        InetAddress parsed;
        try {
            parsed = IpAddresses.parse(address);
        } catch (InvalidRequestException e) {
            return address.length() > MAX_KEY_LENGTH ? address.substring(0, MAX_KEY_LENGTH) : address;
        }
        if (parsed instanceof Inet6Address) {
            byte[] bytes = parsed.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            StringBuilder prefix = new StringBuilder("v6:");
            for (int i = 0; i < 8; i++) {
                prefix.append(String.format("%02x", bytes[i] & 0xff));
            }
            return prefix.append("/64").toString();
        }
        return parsed.getHostAddress();
    }

    private static String printable(String address) {
        String shown = address.length() > MAX_KEY_LENGTH ? address.substring(0, MAX_KEY_LENGTH) : address;
        return shown.replaceAll("[^0-9A-Za-z.:\\[\\]-]", "?");
    }
}
