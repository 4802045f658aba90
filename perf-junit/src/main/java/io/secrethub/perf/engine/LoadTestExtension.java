package io.secrethub.perf.engine;

import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link LoadTest}, registered by that annotation.
 *
 * <ul>
 *   <li>As an {@link InvocationInterceptor}, it takes over the test method's invocation: it skips JUnit's single
 *       call and runs the method on the configured agents, with the target and arguments JUnit resolved.</li>
 *   <li>As a {@link ParameterResolver}, it resolves {@link Agent} parameters of the {@code @LoadTest} method (to a
 *       placeholder that each agent replaces with itself) and {@link LoadTestResult} parameters of lifecycle
 *       methods such as {@code @AfterEach} (from the method's store, once the load has run).</li>
 * </ul>
 */
public final class LoadTestExtension implements InvocationInterceptor, ParameterResolver {

    static final Namespace NAMESPACE = Namespace.create(LoadTestExtension.class);

    /** Created by JUnit through {@code @ExtendWith}. */
    public LoadTestExtension() {
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        Optional<LoadTest> loadTest = AnnotationSupport.findAnnotation(invocationContext.getExecutable(),
                LoadTest.class);
        if (loadTest.isEmpty()) {
            invocation.proceed();
            return;
        }
        // JUnit must not invoke the method itself: the agents do, many times over.
        invocation.skip();
        new LoadTestExecution(loadTest.get(), invocationContext, extensionContext).run();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        boolean onLoadTest = AnnotationSupport.isAnnotated(parameterContext.getDeclaringExecutable(), LoadTest.class);
        return type == Agent.class && onLoadTest || type == LoadTestResult.class && !onLoadTest;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (parameterContext.getParameter().getType() == Agent.class) {
            return UnresolvedAgent.INSTANCE;
        }
        LoadTestResult result = extensionContext.getStore(NAMESPACE).get(LoadTestResult.class, LoadTestResult.class);
        if (result == null) {
            throw new ParameterResolutionException("No LoadTestResult for " + extensionContext.getDisplayName()
                    + ": it exists only after a @LoadTest method has run its load (in @AfterEach, for instance),"
                    + " and not if the load test failed before its measured part");
        }
        return result;
    }

    /** Keeps {@code result} for {@code LoadTestResult} parameters of the method's {@code @AfterEach} methods. */
    static void storeResult(ExtensionContext methodContext, LoadTestResult result) {
        methodContext.getStore(NAMESPACE).put(LoadTestResult.class, result);
    }
}
