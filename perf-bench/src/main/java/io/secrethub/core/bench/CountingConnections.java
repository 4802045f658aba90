package io.secrethub.core.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The benchmark pool's target: connections that count each round trip to PostgreSQL in {@link OpCosts} (every
 * statement execution, and every commit and rollback). perf-junit's {@code @MaxQueriesPerOp} counts statements the
 * same way inside JUnit; this is the main program's copy, which also counts the commits a statement count leaves
 * out.
 */
final class CountingConnections extends PGSimpleDataSource {

    private static final long serialVersionUID = 1L;
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");
    private static final Set<String> ENDS = Set.of("commit", "rollback");

    /** A counting data source for {@code database} on the benchmark's server. */
    static CountingConnections of(String database) {
        CountingConnections ds = new CountingConnections();
        PGSimpleDataSource plain = BenchServer.dataSource(database);
        ds.setURL(plain.getURL());
        ds.setUser(plain.getUser());
        ds.setPassword(plain.getPassword());
        return ds;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Connection connection = super.getConnection(user, password);
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (ENDS.contains(method.getName()) && method.getParameterCount() == 0) {
                        OpCosts.roundTrip();
                    }
                    Object result = call(method, connection, args);
                    return result instanceof Statement s ? counting(s) : result;
                });
    }

    private static Statement counting(Statement statement) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(CountingConnections.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (EXECUTIONS.contains(method.getName())) {
                        OpCosts.roundTrip();
                    }
                    return call(method, statement, args);
                });
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
