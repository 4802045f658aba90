package io.secrethub.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.OverloadedException;
import io.secrethub.core.access.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void waitingCallsGoInTheOrderTheyCameAndNoLaterCallOvertakesThem() throws Exception {
        Admission admission = new Admission(1, LONG);
        Holder holder = Holder.take(admission, Operation.SECRET_READ);

        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String name = "caller-" + i;
            waiters.add(start(() -> admission.run(Operation.SECRET_READ, () -> order.add(name))));
            awaitQueued(admission, i); // each is in the queue before the next one arrives
        }
        holder.release();
        for (Thread t : waiters) {
            t.join();
        }
        assertThat(order).containsExactly("caller-1", "caller-2", "caller-3", "caller-4");
        assertThat(admission.queued()).isZero();
    }

    @Test
    void aCallThatWaitsTooLongIsRefusedNamingTheOperationAndTheLimit() throws Exception {
        Admission admission = new Admission(1, Duration.ofMillis(50));
        Holder holder = Holder.take(admission, Operation.SECRET_WRITE);
        try {
            assertThatThrownBy(() -> admission.run(Operation.SECRET_READ, () -> "never"))
                    .isInstanceOf(OverloadedException.class)
                    .hasMessageContaining(Operation.SECRET_READ.auditName())
                    .hasMessageContaining("1 places")
                    .hasMessageContaining("maxConcurrentRequests");
        } finally {
            holder.release();
        }
        assertThat(admission.run(Operation.SECRET_READ, () -> "now")).isEqualTo("now"); // the place came back
    }

    @Test
    void aCallThatLeavesLetsTheNextInWhileItGoesOnAndDoesNotGiveItsPlaceBackTwice() throws Exception {
        Admission admission = new Admission(1, LONG);
        CountDownLatch left = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread leaver = start(() -> admission.run(Operation.SECRET_WRITE, () -> {
            admission.leave(); // as when it starts waiting for its audit record
            admission.leave(); // a second leave is a no-op
            left.countDown();
            await(finish);
            return null;
        }));
        assertThat(left.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(admission.run(Operation.SECRET_READ, () -> "in while the other still runs")).isNotNull();
        finish.countDown();
        leaver.join();

        // One place, not two: with a call holding it, the next one queues.
        Holder holder = Holder.take(admission, Operation.SECRET_READ);
        Thread second = start(() -> admission.run(Operation.SECRET_READ, () -> "second"));
        awaitQueued(admission, 1);
        holder.release();
        second.join();
        assertThat(admission.queued()).isZero();
    }

    @Test
    void aFailingCallGivesItsPlaceBack() {
        Admission admission = new Admission(1, Duration.ofMillis(50));
        assertThatThrownBy(() -> admission.run(Operation.SECRET_READ, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(admission.run(Operation.SECRET_READ, () -> "next")).isEqualTo("next");
    }

    @Test
    void aCallFromInsideAnAdmittedCallIsNotQueuedAgain() {
        Admission admission = new Admission(1, Duration.ofMillis(50));
        String nested = admission.run(Operation.SECRET_WRITE,
                () -> admission.run(Operation.SECRET_READ, () -> "inner"));
        assertThat(nested).isEqualTo("inner");
        assertThat(admission.run(Operation.SECRET_READ, () -> "after")).isEqualTo("after");
    }

    @Test
    void anInterruptedWaiterIsRefusedAndKeepsItsInterrupt() throws Exception {
        Admission admission = new Admission(1, LONG);
        Holder holder = Holder.take(admission, Operation.SECRET_READ);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread waiter = start(() -> {
            try {
                admission.run(Operation.SECRET_READ, () -> "never");
            } catch (RuntimeException e) {
                failure.set(e);
                interrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitQueued(admission, 1);
        waiter.interrupt();
        waiter.join();
        holder.release();
        assertThat(failure.get()).isInstanceOf(OverloadedException.class).hasMessageContaining("interrupted");
        assertThat(interrupted.get()).isTrue();
    }

    @Test
    void zeroMeansNoLimitAndBadSettingsAreNamed() throws Exception {
        Admission unlimited = new Admission(0, LONG);
        int callers = 50;
        CountDownLatch allInside = new CountDownLatch(callers);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(start(() -> unlimited.run(Operation.SECRET_READ, () -> {
                allInside.countDown();
                await(allInside); // only returns once every caller is inside at the same time
                return null;
            })));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(allInside.getCount()).isZero();
        assertThatThrownBy(() -> new Admission(-1, LONG)).hasMessageContaining("limit must not be negative, was -1");
        assertThatThrownBy(() -> new Admission(1, Duration.ZERO)).hasMessageContaining("maxWait must be positive");
    }

    /** A call that holds a place until {@link #release}. */
    private record Holder(Thread thread, CountDownLatch done) {

        static Holder take(Admission admission, Operation operation) throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread thread = start(() -> admission.run(operation, () -> {
                holding.countDown();
                await(release);
                return null;
            }));
            assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
            return new Holder(thread, release);
        }

        void release() throws InterruptedException {
            done.countDown();
            thread.join();
        }
    }

    private static void awaitQueued(Admission admission, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (admission.queued() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + n + " callers queued, saw " + admission.queued());
            }
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }
}
