package io.secrethub.core;

/**
 * Seal lifecycle and key management of this instance ({@code hub.sys()}).
 *
 * <p>{@link #status()} and {@link #unseal(String)} work while sealed; everything else throws
 * {@link SealedException} then.
 */
public interface Sys {

    /** This instance's seal state; never throws {@link SealedException}. */
    SealStatus status();

    /**
     * Initializes the shared database once: creates the unseal key, root key, first keyring term and
     * root token, and splits the unseal key into Shamir shares. The instance stays sealed afterwards.
     *
     * @param shares how many shares to hand out, 1 to 255
     * @param threshold how many shares unseal, at least 2 (unless {@code shares} is 1) and at most {@code shares}
     * @return the shares and the root token, shown this once
     * @throws InvalidRequestException for bad parameters or if the database is already initialized
     */
    InitResult initialize(int shares, int threshold);

    /**
     * Adds one share towards unsealing this instance. Shares may come in any order. A share that cannot
     * be one of this initialization's (malformed, of another initialization, a number that does not
     * exist, a different value for a number already given) is refused and the progress of the valid
     * shares is kept, so an unauthenticated caller cannot keep the instance sealed by sending garbage;
     * the same share twice is accepted once. A share that looks right but is wrong can only be found at
     * the threshold, when the key does not reconstruct: then progress is reset, as in Vault, so a wrong
     * key is never produced.
     *
     * @return the seal state after this share
     * @throws InvalidRequestException for a refused share (the message says why and whether progress was reset)
     */
    SealStatus unseal(String share);

    /**
     * Seals this instance: wipes its keys from memory. Other instances sharing the database are unaffected.
     * Does nothing while sealed (unseal progress is kept: an unauthenticated call must not reset it).
     *
     * @param token a token with {@code update} and {@code sudo} on {@code sys/seal}, as in Vault
     */
    void seal(String token);

    /**
     * Adds a keyring term and makes it the one new values are encrypted with; older terms keep
     * decrypting. Other instances pick the term up when they meet it or on their next refresh.
     *
     * @param token a token allowed {@code sys.rotate}
     */
    KeyStatus rotate(String token);

    /** The keyring's active term. */
    KeyStatus keyStatus(String token);

    /**
     * This instance's view of itself and the cluster, for health checks and load balancers: its name, whether its
     * heartbeat reaches the database, whether its change feed listens, its audit queue. Needs no token, works
     * while sealed, and never waits on the database (it reports what the background threads last saw).
     */
    InstanceHealth health();

    /**
     * The live instances on this database, this one included, oldest first: those whose heartbeat (written about
     * once a second) is within the staleness bound (default 5 s) by the database's clock. A stopped instance
     * leaves the list at once; a killed one within the bound. Vault's {@code sys/ha-status}.
     *
     * @param token a token allowed {@code read} on {@code sys/ha-status}
     */
    java.util.List<InstanceInfo> instances(String token);

    /**
     * Sets the API address this instance advertises in its heartbeat row (what {@link #instances} shows), e.g.
     * {@code https://10.0.0.5:8200} once its server listens. Printable ASCII without spaces, at most 512 characters.
     *
     * @throws InvalidRequestException for an address that is not
     */
    void advertise(String apiAddress);
}
