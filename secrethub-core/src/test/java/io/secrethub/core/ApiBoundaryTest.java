package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.policy.Policy;
import io.secrethub.core.token.TokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is what the module descriptor says it is: it exports exactly the API packages, and nothing a
 * caller can see in them (signatures, supertypes, fields of public types) names a type from an internal package.
 * Reads the compiled classes, so it holds however the tests themselves are run (module path or class path).
 */
class ApiBoundaryTest {

    private static final String ROOT = "io.secrethub.core";
    private static final Set<String> API_PACKAGES = Set.of(ROOT, ROOT + ".policy");

    @Test
    void theDescriptorExportsExactlyTheApiPackages() throws IOException {
        ModuleDescriptor descriptor = descriptor();

        assertThat(descriptor.name()).isEqualTo(ROOT);
        assertThat(descriptor.exports())
                .allSatisfy(e -> assertThat(e.isQualified()).as("qualified export %s", e).isFalse());
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrderElementsOf(API_PACKAGES);
        assertThat(descriptor.opens()).as("no package is opened to reflection").isEmpty();
    }

    @Test
    void noPublicSignatureInTheApiNamesAnInternalType() throws IOException {
        List<Class<?>> api = publicTypes(API_PACKAGES);
        assertThat(api).as("the scan finds the API").contains(SecretHub.class, SecretHubBuilder.class, Policy.class);

        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            leaks.addAll(leaks(type));
        }

        assertThat(leaks).as("internal types in the public API").isEmpty();
    }

    @Test
    void theCheckFindsALeakInEveryPlaceItLooks() {
        assertThat(leaks(Leaky.class)).containsExactlyInAnyOrder(
                "Leaky supertype Supplier<TokenStore>",
                "Leaky.field tokens: TokenStore",
                "Leaky.constructor Leaky(TokenStore)",
                "Leaky.method get(): TokenStore",
                "Leaky.method all(): List<TokenStore>",
                "Leaky.method bounded(): T",
                "Leaky.method protectedLeak(): TokenStore[]");
        assertThat(leaks(Clean.class)).isEmpty();
    }

    /** Where a public type's visible surface mentions a type from a non-exported package of this module. */
    static List<String> leaks(Class<?> type) {
        List<String> found = new ArrayList<>();
        String name = type.getSimpleName();
        List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            supertypes.add(type.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            if (mentionsInternal(supertype)) {
                found.add(name + " supertype " + simple(supertype));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic() && mentionsInternal(field.getGenericType())) {
                found.add(name + ".field " + field.getName() + ": " + simple(field.getGenericType()));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && signatureMentionsInternal(constructor)) {
                found.add(name + ".constructor " + name + "(" + parameters(constructor) + ")");
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()
                    && (signatureMentionsInternal(method) || mentionsInternal(method.getGenericReturnType()))) {
                found.add(name + ".method " + method.getName() + "(" + parameters(method) + "): "
                        + simple(method.getGenericReturnType()));
            }
        }
        return found;
    }

    private static boolean signatureMentionsInternal(Executable executable) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            if (mentionsInternal(parameter)) {
                return true;
            }
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            if (mentionsInternal(thrown)) {
                return true;
            }
        }
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            if (mentionsInternal(variable)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsInternal(Type type) {
        return mentionsInternal(type, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean mentionsInternal(Type type, Set<Type> seen) {
        if (!seen.add(type)) {
            return false; // recursive bounds such as <T extends Comparable<T>>
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String pkg = c.getPackageName();
            return (pkg.equals(ROOT) || pkg.startsWith(ROOT + ".")) && !API_PACKAGES.contains(pkg);
        }
        if (type instanceof ParameterizedType p) {
            if (mentionsInternal(p.getRawType(), seen)) {
                return true;
            }
            for (Type argument : p.getActualTypeArguments()) {
                if (mentionsInternal(argument, seen)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof GenericArrayType a) {
            return mentionsInternal(a.getGenericComponentType(), seen);
        }
        if (type instanceof WildcardType w) {
            return Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .anyMatch(bound -> mentionsInternal(bound, seen));
        }
        if (type instanceof TypeVariable<?> v) {
            return Stream.of(v.getBounds()).anyMatch(bound -> mentionsInternal(bound, seen));
        }
        return false;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String parameters(Executable executable) {
        return Stream.of(executable.getGenericParameterTypes())
                .map(ApiBoundaryTest::simple)
                .collect(Collectors.joining(", "));
    }

    private static String simple(Type type) {
        return type.getTypeName().replaceAll("[\\w.]+[.$]", "");
    }

    /** The public types (nested ones included, when every enclosing type is public) of {@code packages}. */
    private static List<Class<?>> publicTypes(Set<String> packages) throws IOException {
        List<Class<?>> types = new ArrayList<>();
        for (String className : classNames(packages)) {
            Class<?> type;
            try {
                type = Class.forName(className, false, SecretHub.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(className, e);
            }
            if (accessible(type)) {
                types.add(type);
            }
        }
        return types;
    }

    private static boolean accessible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    /** The classes compiled into the main output (a directory, or the jar under test) in {@code packages}. */
    private static Set<String> classNames(Set<String> packages) throws IOException {
        Path location = mainOutput();
        Set<String> entries = new TreeSet<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.map(f -> location.relativize(f).toString().replace('\\', '/')).forEach(entries::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(e -> e.getName()).forEach(entries::add);
            }
        }
        Set<String> names = new TreeSet<>();
        for (String entry : entries) {
            boolean descriptor = entry.endsWith("module-info.class") || entry.endsWith("package-info.class");
            if (entry.endsWith(".class") && !descriptor) {
                String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                String pkg = className.substring(0, className.lastIndexOf('.'));
                if (packages.contains(pkg)) {
                    names.add(className);
                }
            }
        }
        return names;
    }

    private static ModuleDescriptor descriptor() throws IOException {
        Path location = mainOutput();
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(location.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** Where the main classes were loaded from; not "the first module-info.class on the class path". */
    private static Path mainOutput() {
        try {
            return Path.of(SecretHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture with a leak of each kind, to show the check can fail. */
    @SuppressWarnings("unused")
    public static class Leaky implements Supplier<TokenStore> {
        public TokenStore tokens;
        private TokenStore hiddenField;

        public Leaky(TokenStore tokens) {
            this.tokens = tokens;
        }

        Leaky() {
        }

        @Override
        public TokenStore get() {
            return tokens;
        }

        public List<TokenStore> all() {
            return List.of();
        }

        public <T extends TokenStore> T bounded() {
            return null;
        }

        protected TokenStore[] protectedLeak() {
            return null;
        }

        TokenStore packagePrivate() {
            return tokens;
        }

        private TokenStore privateOne() {
            return tokens;
        }
    }

    /** A fixture that uses internal types only where callers cannot see them. */
    @SuppressWarnings("unused")
    public static class Clean {
        private TokenStore tokens;

        Clean(TokenStore tokens) {
            this.tokens = tokens;
        }

        public List<Policy> policies() {
            return List.of();
        }

        TokenStore tokens() {
            return tokens;
        }
    }
}
