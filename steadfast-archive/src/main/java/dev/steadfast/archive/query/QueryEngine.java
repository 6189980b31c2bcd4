package dev.steadfast.archive.query;

import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one query engine behind C-FIND and QIDO-RS. Matching keys that are index columns at or
 * above the query level become conditions of the candidate statement (see
 * {@link dev.steadfast.archive.index.CandidateQuery}, which owns the SQL) and select the candidates; every other
 * key (any attribute, sequences too) is matched against the stored metadata of the candidates'
 * instances (see {@link KeyMatcher}): an entity above the image level matches when one of its
 * instances does, and is answered from the latest such instance ({@link Responder}).
 *
 * <p>The candidates' ids are listed first (one statement), then the candidates are read a page of
 * ids at a time, each page in its own short read transaction on the bounded {@link QueryPool};
 * matches are handed to the consumer only after that transaction has ended. Why: the consumer writes to the network, and a client that
 * reads slowly (or stops) must never hold a transaction or a pooled connection (issue 12). The
 * time limit counts the work on the pool only, not the time the client takes to read.
 */
public final class QueryEngine {
    /** Candidate rows per page (one read transaction each). */
    static final int PAGE = 200;
    /** Longest value of one matching key (characters); DICOM's longest matchable text VRs are far shorter. */
    static final int MAX_VALUE_LENGTH = 1024;
    /** Most elements one identifier may have, return keys included (QIDO includefield=all asks for about 5,000). */
    static final int MAX_ELEMENTS = 10_000;

    private final Index index;
    private final QueryConfig config;
    private final QueryPool pool;
    private final RemoteQuery remote;

    public QueryEngine(Index index, QueryConfig config) {
        this(index, config, new QueryPool(config.threads()), null);
    }

    private QueryEngine(Index index, QueryConfig config, QueryPool pool, RemoteQuery remote) {
        this.index = index;
        this.config = config;
        this.pool = pool;
        this.remote = remote;
    }

    /**
     * This engine (the same pool and limits) that also lists the matches {@code remote} holds and
     * this archive does not (issue 17, {@code sites.query-peer}): for C-FIND and QIDO-RS, not for
     * what retrieve or the admin API look up.
     */
    public QueryEngine withRemote(RemoteQuery remote) {
        return new QueryEngine(index, config, pool, remote);
    }

    /**
     * Runs the query and hands each match to {@code out} as a data set of the requested keys.
     *
     * @return the number of matches handed out
     * @throws InvalidQueryException a key that cannot be matched as given (invalid date, too many keys...)
     * @throws QueryLimitException   the time limit ran out, or too many queries run at once
     */
    public int query(QueryRequest request, Consumer<Dataset> out) {
        if (remote == null || request.level() == QueryLevel.PATIENT || request.offset() > 0) {
            return queryHere(request, out);
        }
        return PeerMerge.run(request, remote, config.maxResults(), this::queryHere, out);
    }

    private int queryHere(QueryRequest request, Consumer<Dataset> out) {
        Budget budget = new Budget(config.timeout());
        QueryPlan plan = QueryPlan.of(request, config);
        long limit = request.limit();
        if (config.maxResults() > 0 && (limit == 0 || limit > config.maxResults())) {
            limit = config.maxResults();
        }
        boolean inSql = plan.residual().isEmpty(); // every candidate is a match: the database pages
        long sqlLimit = inSql ? limit : 0;
        int sqlOffset = inSql ? request.offset() : 0;
        // The ids and the first page in one transaction: most queries need no second one.
        Start first = budget.run(deadline -> index.read(tx -> {
            long[] ids = tx.candidates().ids(plan.candidates(), sqlOffset, sqlLimit);
            return new Start(ids, page(tx, request, plan, ids, 0, Math.min(PAGE, ids.length), deadline));
        }));
        long[] ids = first.ids();
        int skip = inSql ? 0 : request.offset();
        int emitted = 0;
        for (int from = 0; from < ids.length; from += PAGE) {
            int start = from;
            int end = Math.min(ids.length, from + PAGE);
            List<Dataset> page = from == 0 ? first.page()
                    : budget.run(deadline -> index.read(tx -> page(tx, request, plan, ids, start, end, deadline)));
            for (Dataset match : page) { // outside any transaction: the client may be slow
                if (skip > 0) {
                    skip--;
                    continue;
                }
                out.accept(match);
                emitted++;
                if (limit > 0 && emitted >= limit) {
                    return emitted;
                }
            }
        }
        return emitted;
    }

    /** The candidates' ids and the answers of the first page of them. */
    private record Start(long[] ids, List<Dataset> page) {}

    /** The working time left to one query: only the time on the pool counts, not the client's. */
    private final class Budget {
        private long left;

        Budget(java.time.Duration timeout) {
            left = timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
        }

        <T> T run(java.util.function.LongFunction<T> work) {
            if (left <= 0) {
                throw timedOut();
            }
            long start = System.nanoTime();
            long deadline = left == Long.MAX_VALUE ? Long.MAX_VALUE : start + left;
            try {
                return pool.run(() -> work.apply(deadline), deadline);
            } finally {
                if (left != Long.MAX_VALUE) {
                    left -= System.nanoTime() - start;
                }
            }
        }
    }

    /**
     * Runs other matching work (the modality worklist, issue 18) on the same bounded pool and under
     * the same time limit as a query, for the same reason: matching must not hold carrier threads.
     */
    public <T> T bounded(java.util.function.Supplier<T> work) {
        return new Budget(config.timeout()).run(deadline -> work.get());
    }

    /** All matches as a list: for tests and small result sets only. */
    public List<Dataset> queryAll(QueryRequest request) {
        List<Dataset> all = new ArrayList<>();
        query(request, all::add);
        return all;
    }

    static QueryLimitException timedOut() {
        return new QueryLimitException(QueryLimitException.Kind.TIMED_OUT,
                "query time limit reached; narrow the keys or try again later");
    }

    /** The answers of the candidates {@code ids[from..to)} that match, in id order. */
    private List<Dataset> page(Tx tx, QueryRequest request, QueryPlan plan, long[] ids, int from, int to, long deadline)
            throws SQLException {
        List<Dataset> matches = new ArrayList<>();
        Responder responder = new Responder(tx, request, plan, config.caseInsensitivePersonNames());
        tx.candidates().page(plan.candidates(), ids, from, to, row -> {
            if (System.nanoTime() > deadline) {
                throw timedOut();
            }
            Dataset match = responder.respond(row);
            if (match != null) { // null: a candidate of the SQL that the stored metadata does not match
                matches.add(match);
            }
        });
        return matches;
    }

    /**
     * Refuses identifiers too big to answer cheaply: too many elements, too many keys with a value,
     * or a value longer than any DICOM text worth matching.
     */
    static void checkSize(Dataset keys, int maxMatchingKeys) {
        int[] counts = new int[2]; // elements, keys with a value
        count(keys, counts, maxMatchingKeys);
    }

    private static void count(Dataset keys, int[] counts, int maxMatchingKeys) {
        for (Element e : keys) {
            if (++counts[0] > MAX_ELEMENTS) {
                throw new InvalidQueryException("identifier too large: more than " + MAX_ELEMENTS + " attributes");
            }
            int tag = e.tag();
            if (e.value() instanceof Sequence s) {
                for (Dataset item : s) {
                    count(item, counts, maxMatchingKeys);
                }
                continue;
            }
            if (e.isEmpty() || tag == Tag.SpecificCharacterSet || tag == Tag.QueryRetrieveLevel || (tag >>> 16) <= 0x0002) {
                continue;
            }
            if (++counts[1] > maxMatchingKeys) {
                throw new InvalidQueryException("too many matching keys: at most " + maxMatchingKeys, tag);
            }
            byte[] b = e.bytes();
            if (b != null && b.length > MAX_VALUE_LENGTH) {
                throw new InvalidQueryException(Tag.toString(tag) + ": value longer than " + MAX_VALUE_LENGTH
                        + " characters", tag);
            }
        }
    }
}
