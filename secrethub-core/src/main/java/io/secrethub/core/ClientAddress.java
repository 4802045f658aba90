package io.secrethub.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The network address of the caller a server thread is working for, so every audit record of the
 * calls it makes names the client without widening every facade method by a parameter.
 *
 * <pre>{@code
 * Secret s = ClientAddress.with(request.remoteAddress(), () -> hub.secrets().read(token, path));
 * }</pre>
 *
 * <p>An address passed explicitly (as {@link AppRole#login} takes one) wins over this one.
 */
public final class ClientAddress {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private ClientAddress() {
    }

    /** Runs {@code call} with {@code address} as the client address of every core call it makes. */
    public static <T> T with(String address, Supplier<T> call) {
        Objects.requireNonNull(call, "call");
        String previous = CURRENT.get();
        CURRENT.set(address);
        try {
            return call.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The address set by {@link #with} on this thread, or {@code null}. */
    public static String current() {
        return CURRENT.get();
    }
}
