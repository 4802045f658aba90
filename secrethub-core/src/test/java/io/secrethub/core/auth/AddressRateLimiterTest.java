package io.secrethub.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.RateLimitedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address token buckets: refill, debt from failures, and a bounded number of addresses. */
class AddressRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void anAddressEarnsCallsBackAtTheRate() {
        AddressRateLimiter limiter = new AddressRateLimiter(new RateLimitSettings(2, 4, 100), now::get);
        for (int i = 0; i < 4; i++) {
            limiter.acquire("192.0.2.1", "x");
        }
        assertThatThrownBy(() -> limiter.acquire("192.0.2.1", "x")).isInstanceOf(RateLimitedException.class)
                .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter())
                        .isBetween(Duration.ofMillis(499), Duration.ofMillis(501)));
        advance(Duration.ofMillis(500));
        limiter.acquire("192.0.2.1", "x");
        assertThatThrownBy(() -> limiter.acquire("192.0.2.1", "x")).isInstanceOf(RateLimitedException.class);
        advance(Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            limiter.acquire("192.0.2.1", "x"); // refilled to the burst, never beyond
        }
        assertThatThrownBy(() -> limiter.acquire("192.0.2.1", "x")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void failuresThatRacedTheCheckAreADebtPaidBackFirst() {
        AddressRateLimiter limiter = new AddressRateLimiter(new RateLimitSettings(1, 2, 100), now::get);
        for (int i = 0; i < 5; i++) {
            limiter.check("192.0.2.2", "login"); // five logins in flight pass the check at once
        }
        for (int i = 0; i < 5; i++) {
            limiter.charge("192.0.2.2"); // and all fail: 2 - 5 = -2 (the debt is bounded by the burst)
        }
        assertThatThrownBy(() -> limiter.check("192.0.2.2", "login")).isInstanceOf(RateLimitedException.class);
        advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> limiter.check("192.0.2.2", "login")).isInstanceOf(RateLimitedException.class);
        advance(Duration.ofSeconds(1));
        limiter.check("192.0.2.2", "login");
    }

    @Test
    void manyAddressesCostBoundedMemoryIdleOnesGoingFirst() {
        AddressRateLimiter limiter = new AddressRateLimiter(new RateLimitSettings(1, 1, 100), now::get);
        limiter.acquire("192.0.2.200", "x"); // a busy address, out of calls
        for (int i = 0; i < 50; i++) {
            limiter.acquire("10.0.0." + i, "x");
        }
        advance(Duration.ofSeconds(5)); // those 50 are full again: idle
        limiter.acquire("192.0.2.201", "x");
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("10.1." + (i / 250) + "." + (i % 250), "x");
            assertThat(limiter.tracked()).isLessThanOrEqualTo(100);
        }
        assertThat(limiter.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void idleAddressesAreForgottenBeforeBusyOnes() {
        AddressRateLimiter limiter = new AddressRateLimiter(new RateLimitSettings(1, 1, 8), now::get);
        limiter.acquire("192.0.2.9", "x"); // out of calls
        advance(Duration.ofMillis(100));
        for (int i = 0; i < 6; i++) {
            limiter.acquire("10.0.0." + i, "x");
        }
        advance(Duration.ofSeconds(2)); // the six are full again; 192.0.2.9 too by now, so spend it again
        limiter.acquire("192.0.2.9", "x");
        limiter.acquire("10.0.1.1", "x"); // 8 tracked
        limiter.acquire("10.0.1.2", "x"); // full: the idle six go, the busy two stay
        assertThatThrownBy(() -> limiter.acquire("192.0.2.9", "x")).as("its debt was not forgotten")
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void offOrWithoutAnAddressNothingIsLimited() {
        AddressRateLimiter off = new AddressRateLimiter(new RateLimitSettings(0, 1, 10), now::get);
        AddressRateLimiter on = new AddressRateLimiter(new RateLimitSettings(1, 1, 10), now::get);
        for (int i = 0; i < 100; i++) {
            off.acquire("192.0.2.3", "x");
            on.acquire(null, "x");
        }
        assertThat(on.tracked()).isZero();
    }

    @Test
    void keysAreAddressesAndIpv6Slash64s() {
        assertThat(AddressRateLimiter.key("192.0.2.3")).isEqualTo("192.0.2.3");
        assertThat(AddressRateLimiter.key("2001:db8:1:2:3:4:5:6")).isEqualTo(AddressRateLimiter.key("2001:db8:1:2::9"))
                .isNotEqualTo(AddressRateLimiter.key("2001:db8:1:3::9"));
        assertThat(AddressRateLimiter.key("x".repeat(500))).hasSize(64);
    }

    @Test
    void settingsAreValidatedNamingTheBuilderSetting() {
        assertThatThrownBy(() -> new RateLimitSettings(-1, 1, 1)).hasMessageContaining("unauthenticatedRateLimit");
        assertThatThrownBy(() -> new RateLimitSettings(1, 0, 1)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new RateLimitSettings(1, 1, 0)).hasMessageContaining("Addresses");
    }
}
