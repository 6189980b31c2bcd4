package dev.steadfast.archive.forward;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Drains the forwarding queues: claims a batch per destination (a lease in the index, so any
 * number of nodes may drain the same queues), sends it over one link, and records each outcome.
 * {@link #runOnce()} is one pass over every destination, for a scheduler or a cluster job to call;
 * {@link #start()} runs a pass per destination on its own virtual thread, every poll interval
 * while idle and at once while there is more.
 *
 * <p>A destination that cannot be reached backs off (doubling, up to the maximum) as a whole,
 * kept in memory: it is pacing, not state another node needs. A refusal backs off its entry, in
 * the index, and after {@code maxAttempts} refusals the entry is a dead letter.
 */
public final class ForwardDrain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ForwardDrain.class);

    private final Index index;
    private final List<ForwardSender> senders;
    private final ForwardPolicy policy;
    private final String node;
    private final Clock clock;
    private final Map<String, Backoff> unreachable = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean registered;

    private record Backoff(int failures, long until) {
    }

    /**
     * This process's name in the leases: {@code nodeId/pid/random}. The node id part lets a
     * restarted node take back at once what its killed predecessor had claimed ({@link #register}).
     */
    public static String leaseHolder(String nodeId) {
        return nodeId + "/" + ProcessHandle.current().pid() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** @param node this node's name in the leases (claimed_by), from {@link #leaseHolder} */
    public ForwardDrain(Index index, List<ForwardSender> senders, ForwardPolicy policy, String node, Clock clock) {
        this.index = index;
        this.senders = List.copyOf(senders);
        this.policy = policy;
        this.node = node;
        this.clock = clock;
    }

    /**
     * Registers every destination in the index (its pause flag and counters), and gives back what an
     * earlier process of this node left claimed (killed mid-batch: without this an ordered queue
     * waited out the dead process's lease, 5 minutes by default); done by the first pass otherwise.
     */
    public void register() {
        int slash = node.indexOf('/');
        String prefix = slash > 0 ? node.substring(0, slash + 1) : null;
        int released = index.write(tx -> {
            ForwardQueue q = new ForwardQueue(tx);
            int n = 0;
            for (ForwardSender s : senders) {
                q.register(s.name());
                if (prefix != null) {
                    n += q.releaseEarlierClaims(s.name(), prefix, node);
                }
            }
            return n;
        });
        if (released > 0) {
            log.info("forwarding: {} entries claimed by an earlier run of this node given back", released);
        }
        registered = true;
    }

    /** One pass over every destination; returns the entries delivered (or found gone). */
    public int runOnce() {
        int done = 0;
        for (ForwardSender s : senders) {
            done += drain(s);
        }
        return done;
    }

    /** Starts one virtual thread per destination; {@link #close()} stops them. */
    public ForwardDrain start() {
        for (ForwardSender s : senders) {
            threads.add(Thread.ofVirtual().name("steadfast-forward-" + s.name()).start(() -> loop(s)));
        }
        return this;
    }

    private void loop(ForwardSender s) {
        while (!closed) {
            int n = 0;
            try {
                n = drain(s);
            } catch (RuntimeException e) { // a bug must not end forwarding for good
                log.error("forwarding to {}: {}", s.name(), e.toString(), e);
            }
            if (n == 0 && !closed) {
                LockSupport.parkNanos(policy.poll().toNanos());
            }
        }
    }

    /** One batch for one destination; 0 when paused, backing off, empty, or the index is down. */
    int drain(ForwardSender s) {
        long now = clock.millis();
        Backoff b = unreachable.get(s.name());
        if (b != null && b.until() > now) {
            return 0;
        }
        List<ForwardEntry> batch;
        long leaseUntil = now + policy.lease().toMillis();
        try {
            if (!registered) {
                register(); // at start the index may have been down
            }
            batch = index.write(tx -> {
                ForwardQueue q = new ForwardQueue(tx);
                if (q.paused(s.name())) {
                    return List.of();
                }
                return q.claim(s.name(), s.ordered(), node, now, leaseUntil, policy.batch());
            });
        } catch (IndexException e) {
            log.debug("forwarding to {} waits for the index: {}", s.name(), e.getMessage());
            return 0;
        }
        if (batch.isEmpty()) {
            return 0;
        }
        // The lease is renewed in the background while the link opens and the batch is sent, also during one slow send.
        try (BatchLease lease = new BatchLease(index, batch, node, policy.lease(), leaseUntil, clock)) {
            return send(s, batch, lease);
        }
    }

    private int send(ForwardSender s, List<ForwardEntry> batch, BatchLease lease) {
        ForwardSender.Link link;
        try {
            link = s.open(batch);
        } catch (IOException | RuntimeException e) {
            lease.stop();
            unreachable(s, batch.getFirst(), batch, e);
            return 0;
        }
        int done = 0;
        try (link) {
            for (int i = 0; i < batch.size(); i++) {
                ForwardEntry e = batch.get(i);
                if (closed || !lease.held()) { // stopping, or another node may own the rest now: never send it twice
                    lease.stop();
                    releaseAll(batch.subList(i, batch.size()));
                    break;
                }
                try {
                    ForwardSender.Result r = link.send(e);
                    if (r == ForwardSender.Result.LATER) {
                        if (s.ordered()) {
                            lease.stop();
                            releaseAll(batch.subList(i, batch.size()));
                            break;
                        }
                        lease.record(i, () -> index.write(tx -> {
                            new ForwardQueue(tx).release(e, node);
                            return null;
                        }));
                        continue;
                    }
                    lease.record(i, () -> index.write(tx -> {
                        new ForwardQueue(tx).completed(e, node, r == ForwardSender.Result.SENT);
                        return null;
                    }));
                    unreachable.remove(s.name());
                    done++;
                } catch (ForwardSender.Refused refused) {
                    lease.record(i, () -> {
                        refused(s, e, refused.getMessage(), refused.permanent());
                        return null;
                    });
                    if (s.ordered()) { // the head stays first; nothing may overtake it
                        lease.stop();
                        releaseAll(batch.subList(i + 1, batch.size()));
                        break;
                    }
                } catch (IndexException ie) {
                    throw ie; // the index, not the destination, failed: handled below
                } catch (IOException | RuntimeException broken) {
                    lease.stop();
                    unreachable(s, e, batch.subList(i + 1, batch.size()), broken);
                    break;
                }
            }
        } catch (IndexException e) { // the outcome could not be recorded: the lease returns the entries later
            log.warn("forwarding to {}: cannot record an outcome ({}); the entries are retried when their lease ends",
                    s.name(), e.getMessage());
        }
        return done;
    }

    private void refused(ForwardSender s, ForwardEntry e, String reason, boolean permanent) {
        long now = clock.millis();
        long next = now + policy.backoff(e.attempts() + 1).toMillis();
        int max = permanent ? 1 : policy.maxAttempts();
        boolean dead = index.write(tx -> new ForwardQueue(tx).failed(e, node, reason, true, max, now, next));
        // UIDs only in the log: no patient data.
        if (dead) {
            log.warn("forwarding {} {} to {}: dead letter after {} refusals: {}", e.kind(), uid(e), s.name(),
                    e.attempts() + 1, reason);
        } else {
            log.info("forwarding {} {} to {} refused (attempt {}): {}", e.kind(), uid(e), s.name(), e.attempts() + 1, reason);
        }
    }

    /** The destination cannot be reached: this entry waits, the rest of the batch goes back, the destination backs off. */
    private void unreachable(ForwardSender s, ForwardEntry failed, List<ForwardEntry> rest, Exception cause) {
        long now = clock.millis();
        Backoff previous = unreachable.get(s.name());
        int failures = previous == null ? 1 : previous.failures() + 1;
        long until = now + policy.backoff(failures).toMillis();
        unreachable.put(s.name(), new Backoff(failures, until));
        String reason = "destination unreachable: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        try {
            index.write(tx -> {
                ForwardQueue q = new ForwardQueue(tx);
                q.failed(failed, node, reason, false, policy.maxAttempts(), now, until);
                for (ForwardEntry e : rest) {
                    if (e.id() != failed.id()) {
                        q.release(e, node);
                    }
                }
                return null;
            });
        } catch (IndexException e) {
            log.debug("cannot record the failure: {}", e.getMessage());
        }
        if (failures == 1 || Integer.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th...: not a line per retry
            log.warn("forwarding to {}: {} (failure {}, next attempt in {} ms)", s.name(), reason, failures, until - now);
        }
    }

    private void releaseAll(List<ForwardEntry> entries) {
        index.write(tx -> {
            ForwardQueue q = new ForwardQueue(tx);
            for (ForwardEntry e : entries) {
                q.release(e, node);
            }
            return null;
        });
    }

    private static String uid(ForwardEntry e) {
        return switch (e.kind()) {
            case STORE -> e.sopUid();
            case DELETE -> e.studyUid();
            case HL7 -> e.reason(); // type and control id
        };
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
