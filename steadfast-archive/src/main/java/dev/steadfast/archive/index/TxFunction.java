package dev.steadfast.archive.index;

import java.sql.SQLException;

/** Work done inside one index transaction; may run more than once when retried, so keep it free of side effects outside the database. */
@FunctionalInterface
public interface TxFunction<T> {
    T apply(Tx tx) throws SQLException;
}
