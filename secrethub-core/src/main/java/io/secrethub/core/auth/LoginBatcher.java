package io.secrethub.core.auth;

import io.secrethub.core.SecretHubException;
import io.secrethub.core.StorageException;
import io.secrethub.core.storage.Database;
import io.secrethub.core.token.TokenStore;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for AppRole logins, like the audit log's: concurrent logins queue here, and one thread runs the
 * queued ones as one JDBC batch of {@link AppRoleStore#CONSUME_AND_ISSUE} statements in a single transaction.
 * Logins that arrive together therefore share one round trip and one commit instead of paying one each, which is
 * what bounded login throughput.
 *
 * <p>Each login is still its own statement, executed in order inside the transaction, so a secret_id with uses
 * left is spent exactly once per admitted login even when several of its logins share a batch: each statement
 * sees the decrements of those before it. A login is admitted when its statement stored a token (update count 1),
 * and learns so only after the commit. Every login, admitted or not, is one statement of the same shape: no
 * oracle. If the batch fails as a whole (one statement's error aborts the transaction), its logins are retried
 * one at a time, so one bad login cannot fail the others.
 *
 * <p>The thread borrows a pooled connection per batch; callers hold none while they wait.
 */
final class LoginBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoginBatcher.class);
    private static final int MAX_BATCH = 256;
    private static final int CAPACITY = 100_000;

    /** One queued login. */
    private record Request(byte[] secretHash, String roleName, Instant now, TokenStore.Pending token,
            CompletableFuture<Boolean> admitted) {
    }

    private final Database database;
    private final Duration timeout;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean closed;

    LoginBatcher(Database database, Duration timeout, String node) {
        this.database = database;
        this.timeout = timeout;
        this.thread = new Thread(this::run, "secrethub-logins-" + node);
        this.thread.setDaemon(true);
    }

    /** Starts the batching thread. */
    void start() {
        thread.start();
    }

    /**
     * Spends a use of the secret_id with HMAC {@code secretHash} of {@code roleName} (if it exists, is unexpired
     * and has a use left) and stores {@code token} with its lease, committed before this returns.
     *
     * @return whether the login was admitted (the token now exists)
     */
    boolean consumeAndIssue(byte[] secretHash, String roleName, Instant now, TokenStore.Pending token) {
        if (closed) {
            throw new StorageException("login unavailable: SecretHub is closing");
        }
        Request request = new Request(secretHash, roleName, now, token, new CompletableFuture<>());
        if (!queue.offer(request)) {
            throw new StorageException("login unavailable: " + CAPACITY + " logins are already waiting");
        }
        try {
            return request.admitted().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecretHubException failure) {
                throw failure;
            }
            throw new StorageException("login failed", e.getCause());
        } catch (TimeoutException e) {
            // It may still commit later; the token was never handed out, so it is unusable, and it expires.
            throw new StorageException("login timed out after " + timeout.toMillis() + " ms waiting for the database");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while logging in");
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("login batch failed unexpectedly", e);
                batch.forEach(r -> r.admitted().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(r
                -> r.admitted().completeExceptionally(new StorageException("login unavailable: SecretHub closed")));
    }

    private void write(List<Request> batch) {
        int[] counts;
        try {
            counts = database.transaction("log in with AppRole", c -> {
                try (PreparedStatement ps = c.prepareStatement(AppRoleStore.CONSUME_AND_ISSUE)) {
                    for (Request r : batch) {
                        AppRoleStore.bindConsumeAndIssue(c, ps, r.secretHash(), r.roleName(), r.now(), r.token());
                        ps.addBatch();
                    }
                    int[] result = ps.executeBatch();
                    for (int count : result) {
                        if (count != 0 && count != 1) {
                            // Not what one login can do: roll back rather than guess who was admitted.
                            throw new StorageException("a login statement reported " + count + " tokens stored");
                        }
                    }
                    return result;
                }
            });
        } catch (RuntimeException batchFailed) {
            if (batch.size() > 1) {
                LOG.debug("login batch of {} failed, retrying one at a time", batch.size(), batchFailed);
                for (Request r : batch) {
                    write(List.of(r));
                }
            } else {
                batch.get(0).admitted().completeExceptionally(batchFailed);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).admitted().complete(counts[i] == 1);
        }
    }

    /** Lets queued logins finish (within the timeout), then stops; logins still queued fail. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
