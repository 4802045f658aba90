package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * While sealed, every call fails with {@link SealedException}, found by reflection over the facades so
 * that a method added later is covered without editing this test. The exceptions are the calls that
 * make sense sealed: {@code status}, {@code unseal}, {@code initialize} (refused as already initialized),
 * {@code seal} (a no-op), {@code health} (a load balancer must see a sealed instance as sealed, not as broken) and
 * {@code advertise} (an instance advertises its address before it is unsealed).
 */
@UnsealedHub
class SealedOperationsTest {

    private static final Set<String> ALLOWED_WHILE_SEALED = Set.of("status", "unseal", "initialize", "seal",
            "health", "advertise");

    static SecretHub hub;
    static InitResult init;

    @BeforeAll
    static void sealAfterWriting(HubFixture fixture) {
        hub = fixture.hub();
        init = fixture.init();
        hub.secrets().write(init.rootToken(), "app/secret", Map.of("k", "v"));
        hub.sys().seal(init.rootToken());
    }

    @TestFactory
    Stream<DynamicTest> everyCallButStatusAndUnsealFailsWhileSealed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object facade : List.of(hub.sys(), hub.secrets(), hub.audit())) {
            Class<?> api = facade.getClass().getInterfaces()[0];
            for (Method method : api.getMethods()) {
                if (ALLOWED_WHILE_SEALED.contains(method.getName())) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(api.getSimpleName() + "." + method.getName()
                        + List.of(method.getParameterTypes()).stream().map(Class::getSimpleName).toList(), () ->
                        assertThatThrownBy(() -> invoke(facade, method)).isInstanceOf(SealedException.class)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(15);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> theSealedCallsBehave() {
        return Stream.of(
                DynamicTest.dynamicTest("status", () -> assertThat(hub.sys().status().sealed()).isTrue()),
                DynamicTest.dynamicTest("initialize", () -> assertThatThrownBy(() -> hub.sys().initialize(3, 2))
                        .isInstanceOf(InvalidRequestException.class)),
                DynamicTest.dynamicTest("seal", () -> hub.sys().seal(init.rootToken())),
                DynamicTest.dynamicTest("health", () -> assertThat(hub.sys().health().instanceId())
                        .isEqualTo(hub.node())),
                DynamicTest.dynamicTest("advertise", () -> hub.sys().advertise("https://127.0.0.1:8200")),
                DynamicTest.dynamicTest("unseal", ()
                        -> assertThat(hub.sys().unseal(init.shares().get(0)).progress()).isEqualTo(1)));
    }

    private static void invoke(Object facade, Method method) throws Throwable {
        Object[] args = new Object[method.getParameterCount()];
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            args[i] = argument(types[i], i);
        }
        try {
            method.invoke(facade, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object argument(Class<?> type, int index) {
        if (type == String.class) {
            return index == 0 ? init.rootToken() : "app/secret";
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == int[].class) {
            return new int[] {1};
        }
        if (type == Map.class) {
            return Map.of("k", "v2");
        }
        if (type == WriteOptions.class) {
            return WriteOptions.none();
        }
        if (type == List.class) {
            return List.of(new SecretSubscriber(init.rootToken(), null));
        }
        if (type == java.util.Collection.class) {
            return List.of("app/secret");
        }
        if (type == MetadataUpdate.class) {
            return MetadataUpdate.none().withMaxVersions(3);
        }
        throw new IllegalArgumentException("no test argument for " + type);
    }
}
