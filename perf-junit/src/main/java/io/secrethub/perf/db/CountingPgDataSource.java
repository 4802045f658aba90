package io.secrethub.perf.db;

import io.secrethub.perf.engine.StatementCounter;
import java.io.Serial;
import java.lang.reflect.InvocationHandler;
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
 * The pool's target: a {@link PGSimpleDataSource} (so code that reads the pool's target as one still works) whose
 * connections count every statement they execute in {@link StatementCounter} ({@code @MaxQueriesPerOp}). HikariCP
 * wraps these connections as it wraps any; the counting is JDK dynamic proxies, one call through an invocation
 * handler per JDBC call, no new dependency.
 */
final class CountingPgDataSource extends PGSimpleDataSource {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Set<String> EXECUTIONS =
            Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
                    "executeLargeBatch");
    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement", "prepareCall");

    CountingPgDataSource() {
        StatementCounter.activate();
    }

    // getConnection() calls this one (with the configured user), so counting it here counts each statement once.
    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return counting(super.getConnection(user, password));
    }

    /** {@code connection}, with its statements counting their executions. */
    static Connection counting(Connection connection) {
        return (Connection) proxy(Connection.class, (proxy, method, args) -> {
            Object result = invoke(method, connection, args);
            if (result instanceof Statement statement && STATEMENT_FACTORIES.contains(method.getName())) {
                return countingStatement(statement, (Connection) proxy);
            }
            return result;
        });
    }

    private static Statement countingStatement(Statement statement, Connection connection) {
        Class<? extends Statement> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return (Statement) proxy(type, (proxy, method, args) -> {
            if (EXECUTIONS.contains(method.getName())) {
                StatementCounter.increment();
            } else if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
                return connection;
            }
            return invoke(method, statement, args);
        });
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        InvocationHandler withWrapping = (proxy, method, args) -> {
            // unwrap/isWrapperFor reach the driver's own objects, as without the proxy.
            if (method.getName().equals("unwrap") && args != null && args.length == 1
                    && ((Class<?>) args[0]).isInstance(proxy)) {
                return proxy;
            }
            return handler.invoke(proxy, method, args);
        };
        return Proxy.newProxyInstance(CountingPgDataSource.class.getClassLoader(), new Class<?>[] {type},
                withWrapping);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
