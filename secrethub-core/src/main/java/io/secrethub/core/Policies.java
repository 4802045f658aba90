package io.secrethub.core;

import io.secrethub.core.policy.Policy;
import java.util.List;

/**
 * {@code hub.policies()}: named Vault-style ACL policies, stored in the database.
 *
 * <p>Policy paths: {@code sys/policies/acl/<name>} (write needs create and update, read needs read,
 * delete needs delete); listing needs list on {@code sys/policies/acl}. A change takes effect for the
 * next request on this instance, and within the policy cache TTL on other instances.
 */
public interface Policies {

    /** Creates or replaces {@code policy}. {@code root} cannot be written. */
    void write(String token, Policy policy);

    /**
     * The policy named {@code name}; {@code default} is the built-in one unless it was replaced.
     *
     * @throws NotFoundException if there is no such policy
     */
    Policy read(String token, String name);

    /**
     * Deletes a policy; tokens naming it lose what it granted. {@code default} and {@code root} cannot
     * be deleted.
     *
     * @throws NotFoundException if there is no such policy
     */
    void delete(String token, String name);

    /** The names of the stored policies, sorted, plus {@code default} and {@code root}. */
    List<String> list(String token);
}
