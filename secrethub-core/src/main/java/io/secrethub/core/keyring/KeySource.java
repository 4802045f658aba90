package io.secrethub.core.keyring;

import io.secrethub.core.SealedException;

/** Where components get the keys of the unsealed instance. */
@FunctionalInterface
public interface KeySource {

    /** The current keys. @throws SealedException if the instance is sealed */
    CoreKeys current();
}
