package io.secrethub.perf.engine;

import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.config.PerfConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * What the agents run: the test method on its instance with the arguments JUnit resolved, each {@link Agent}
 * argument replaced by the agent's own, preceded by the class's {@link BeforeAgent} methods.
 *
 * @param testClass the test class
 * @param method the test method, made accessible
 * @param target the test instance
 * @param resolvedArguments the arguments JUnit resolved, with placeholders where agents go
 * @param beforeAgentMethods the {@code @BeforeAgent} methods, superclass methods first, made accessible
 * @param settings the resolved settings
 */
record LoadPlan(
        Class<?> testClass,
        Method method,
        Object target,
        List<Object> resolvedArguments,
        List<Method> beforeAgentMethods,
        LoadSettings settings) {

    /**
     * The plan for {@code method}, checking the {@code @BeforeAgent} methods' signatures.
     *
     * @throws PerfConfigurationException if a {@code @BeforeAgent} method has a signature the engine cannot call
     */
    static LoadPlan of(Class<?> testClass, Method method, Object target, List<Object> resolvedArguments,
            LoadSettings settings) {
        List<Method> beforeAgent =
                AnnotationSupport.findAnnotatedMethods(testClass, BeforeAgent.class, HierarchyTraversalMode.TOP_DOWN);
        for (Method candidate : beforeAgent) {
            boolean agentOnly = candidate.getParameterCount() == 0
                    || candidate.getParameterCount() == 1 && candidate.getParameterTypes()[0] == Agent.class;
            if (Modifier.isStatic(candidate.getModifiers()) || !agentOnly) {
                throw new PerfConfigurationException("@BeforeAgent method " + label(testClass, candidate)
                        + " must be an instance method taking no parameters or one Agent");
            }
            candidate.trySetAccessible();
        }
        method.trySetAccessible();
        return new LoadPlan(testClass, method, target, List.copyOf(resolvedArguments), List.copyOf(beforeAgent),
                settings);
    }

    /** How messages name the method: {@code SimpleClass.method()}. */
    String label() {
        return label(testClass, method);
    }

    static String label(Class<?> testClass, Method method) {
        return displayName(testClass) + "." + method.getName() + "()";
    }

    /** The class name without its package, nested classes joined by dots. */
    static String displayName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** The arguments for {@code agent}'s invocations: built once per agent, reused for every invocation. */
    Object[] argumentsFor(Agent agent) {
        Object[] arguments = resolvedArguments.toArray();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < arguments.length; i++) {
            if (types[i] == Agent.class) {
                arguments[i] = agent;
            }
        }
        return arguments;
    }

    /**
     * Runs the {@code @BeforeAgent} methods for {@code agent}, on the calling (the agent's) thread.
     *
     * @throws AgentSetupException naming the method and the agent, if one fails
     */
    void runBeforeAgentMethods(Agent agent) {
        for (Method setUp : beforeAgentMethods) {
            try {
                setUp.invoke(target, setUp.getParameterCount() == 0 ? new Object[0] : new Object[] {agent});
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new AgentSetupException(label() + ": @BeforeAgent " + setUp.getName() + "() failed for agent "
                        + agent.id() + ": " + cause, cause);
            } catch (IllegalAccessException e) {
                throw new AgentSetupException(label() + ": cannot call @BeforeAgent " + setUp.getName() + "()", e);
            }
        }
    }
}
