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
     * Adds one share towards unsealing this instance. Shares may come in any order. A share that is
     * malformed is refused and progress kept; a share that is foreign, duplicate or (once the threshold
     * is reached) does not reconstruct the key resets progress and is refused, so a wrong key is never
     * produced.
     *
     * @return the seal state after this share
     * @throws InvalidRequestException for a refused share (the message says why and whether progress was reset)
     */
    SealStatus unseal(String share);

    /** Seals this instance: wipes its keys from memory. Other instances sharing the database are unaffected. */
    void seal();

    /**
     * Adds a keyring term and makes it the one new values are encrypted with; older terms keep
     * decrypting. Other instances pick the term up when they meet it or on their next refresh.
     *
     * @param token a token allowed {@code sys.rotate}
     */
    KeyStatus rotate(String token);

    /** The keyring's active term. */
    KeyStatus keyStatus(String token);
}
