package io.secrethub.core.auth;

/**
 * The per-client-address limit on calls that present no token; set on {@link io.secrethub.core.SecretHubBuilder}
 * ({@code unauthenticatedRateLimit}, {@code unauthenticatedRateLimitAddresses}). Validated here, once.
 *
 * @param perSecond calls each address earns back per second (0 turns the limit off)
 * @param burst calls an address may make at once after being idle
 * @param maxAddresses addresses tracked at once; beyond it idle ones (whose allowance is full again) are forgotten
 *     first, then any, so an attacker with many addresses cannot make the limiter grow without bound
 */
public record RateLimitSettings(double perSecond, int burst, int maxAddresses) {

    /** @throws IllegalArgumentException naming the builder setting that is out of range */
    public RateLimitSettings {
        if (!(perSecond >= 0 && perSecond <= 1_000_000)) {
            throw new IllegalArgumentException("unauthenticatedRateLimit perSecond must be between 0 and 1000000, was "
                    + perSecond);
        }
        if (burst < 1 || burst > 1_000_000) {
            throw new IllegalArgumentException("unauthenticatedRateLimit burst must be between 1 and 1000000");
        }
        if (maxAddresses < 1 || maxAddresses > 10_000_000) {
            throw new IllegalArgumentException("unauthenticatedRateLimitAddresses must be between 1 and 10000000");
        }
    }

    /** 20 calls per second per address, bursts of 100, 100,000 addresses (a few MB at most). */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(20, 100, 100_000);
    }

    public RateLimitSettings withRate(double perSecond, int burst) {
        return new RateLimitSettings(perSecond, burst, maxAddresses);
    }

    public RateLimitSettings withMaxAddresses(int addresses) {
        return new RateLimitSettings(perSecond, burst, addresses);
    }

    /** Whether the limit is on. */
    public boolean enabled() {
        return perSecond > 0;
    }
}
