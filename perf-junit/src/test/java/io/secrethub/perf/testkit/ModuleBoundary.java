package io.secrethub.perf.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that a module's API boundary is real: its descriptor exports exactly the API packages, and no public or
 * protected member of a public API type mentions a type from one of the module's internal packages (which a module
 * user could then receive but not name). Works on the compiled classes, so tests that run on the class path can
 * still hold the module to its descriptor.
 *
 * <pre>{@code
 * ModuleBoundary boundary = ModuleBoundary.of(SecretHub.class, "io.secrethub.core", "io.secrethub.core",
 *         Set.of("io.secrethub.core"));
 * boundary.assertExportsExactlyTheApi();
 * boundary.assertNoInternalTypeInTheApi();
 * }</pre>
 *
 * <p>What counts as mentioning: a field's type; a method's return, parameter and exception types; a constructor's
 * parameter and exception types; type parameters' bounds; the superclass and interfaces; all through generic type
 * arguments, wildcards and arrays. Annotations are not signatures: {@code @ExtendWith(SomeInternalExtension.class)}
 * on an API annotation is allowed (the framework instantiates it, the user never names it).
 */
public final class ModuleBoundary {

    private final Class<?> anchor;
    private final Path location;
    private final String moduleName;
    private final String rootPackage;
    private final Set<String> apiPackages;

    private ModuleBoundary(Class<?> anchor, Path location, String moduleName, String rootPackage,
            Set<String> apiPackages) {
        this.anchor = anchor;
        this.location = location;
        this.moduleName = moduleName;
        this.rootPackage = rootPackage;
        this.apiPackages = Set.copyOf(apiPackages);
    }

    /**
     * The boundary of the module compiled where {@code anchor} was loaded from (a classes directory or a jar).
     *
     * @param anchor any class of the module
     * @param moduleName the name its descriptor must declare
     * @param rootPackage the packages {@code rootPackage} and {@code rootPackage.*} are the module's own: any of
     *     them outside {@code apiPackages} is internal
     * @param apiPackages the packages the module exports
     */
    public static ModuleBoundary of(Class<?> anchor, String moduleName, String rootPackage, Set<String> apiPackages) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ModuleBoundary(anchor, location, moduleName, rootPackage, apiPackages);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot locate the classes of " + anchor, e);
        }
    }

    /** The compiled module descriptor, {@code module-info.class}. */
    public ModuleDescriptor descriptor() {
        return withClasses(root -> {
            Path moduleInfo = root.resolve("module-info.class");
            if (!Files.exists(moduleInfo)) {
                throw new AssertionError("no module-info.class in " + location);
            }
            try (InputStream in = Files.newInputStream(moduleInfo)) {
                return ModuleDescriptor.read(in);
            }
        });
    }

    /** Fails unless the descriptor names the module and exports exactly the API packages, to everyone. */
    public void assertExportsExactlyTheApi() {
        ModuleDescriptor descriptor = descriptor();
        List<String> problems = new ArrayList<>();
        if (!descriptor.name().equals(moduleName)) {
            problems.add("the module is named " + descriptor.name() + ", not " + moduleName);
        }
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports export : descriptor.exports()) {
            if (export.isQualified()) {
                problems.add("qualified export of " + export.source() + " to " + export.targets());
            } else {
                exported.add(export.source());
            }
        }
        if (!exported.equals(new TreeSet<>(apiPackages))) {
            problems.add("exports " + exported + " instead of " + new TreeSet<>(apiPackages));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(moduleName + ": " + String.join("; ", problems));
        }
    }

    /** Fails listing every API signature that mentions an internal type. */
    public void assertNoInternalTypeInTheApi() {
        List<String> leaks = internalTypesInTheApi();
        if (!leaks.isEmpty()) {
            throw new AssertionError(moduleName + " exposes internal types in its API:\n  "
                    + String.join("\n  ", leaks));
        }
    }

    /** Every API signature that mentions an internal type, as {@code "Owner#member mentions some.Type"}. */
    public List<String> internalTypesInTheApi() {
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : apiTypes()) {
            String owner = type.getName();
            for (TypeVariable<?> variable : type.getTypeParameters()) {
                check(leaks, owner + "<" + variable.getName() + ">", variable.getBounds());
            }
            check(leaks, owner + " extends", type.getGenericSuperclass());
            check(leaks, owner + " implements", type.getGenericInterfaces());
            for (Field field : type.getDeclaredFields()) {
                if (visible(field)) {
                    check(leaks, owner + "#" + field.getName(), field.getGenericType());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor)) {
                    checkExecutable(leaks, owner + "#<init>" + parameters(constructor), constructor);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method) && !method.isBridge()) {
                    String label = owner + "#" + method.getName() + parameters(method);
                    checkExecutable(leaks, label, method);
                    check(leaks, label + " returns", method.getGenericReturnType());
                }
            }
        }
        return List.copyOf(leaks);
    }

    /**
     * The module resolved, with everything it requires, from the jars and directories of {@code classPath} (e.g.
     * the test class path), in a layer of its own: proves that every {@code requires} names a module that exists
     * under that name, and lets a test ask what a module user would see. {@code requires static} modules are
     * resolved too when {@code classPath} has them, so their names are checked as well.
     */
    public ModuleLayer resolve(Collection<Path> classPath) {
        Map<String, Path> available = new LinkedHashMap<>();
        available.put(moduleName, location);
        for (Path entry : classPath) {
            if (entry.equals(location) || !Files.exists(entry)) {
                continue;
            }
            try {
                for (ModuleReference reference : ModuleFinder.of(entry).findAll()) {
                    available.putIfAbsent(reference.descriptor().name(), entry);
                }
            } catch (FindException notAModule) {
                // A directory of plain classes or a jar whose name makes no module name: never required.
            }
        }
        Set<String> roots = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(moduleName));
        List<String> missing = new ArrayList<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!roots.add(name)) {
                continue;
            }
            Optional<ModuleReference> reference = ModuleFinder.ofSystem().find(name);
            if (reference.isPresent()) {
                continue;
            }
            Path path = available.get(name);
            if (path == null) {
                missing.add(name);
                continue;
            }
            ModuleDescriptor descriptor = ModuleFinder.of(path).find(name).orElseThrow().descriptor();
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                boolean optional = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
                boolean ours = name.equals(moduleName);
                if (!optional || ours && available.containsKey(requires.name())) {
                    pending.push(requires.name());
                } else if (ours && ModuleFinder.ofSystem().find(requires.name()).isEmpty()) {
                    missing.add(requires.name() + " (static, not on the class path)");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(moduleName + " requires modules that the class path does not have under those"
                    + " names: " + missing);
        }
        Path[] paths = roots.stream().map(available::get).filter(path -> path != null).distinct().toArray(Path[]::new);
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(ModuleFinder.of(paths), ModuleFinder.of(), roots);
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    /** The entries of the class path this JVM runs with (Surefire sets it even with its manifest-only jar). */
    public static List<Path> testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
    }

    /**
     * The types whose signatures are checked: the public types of the API packages, nested ones included when
     * every enclosing type is public. A test can check that the scan found the API it expects.
     */
    public List<Class<?>> apiTypes() {
        return withClasses(root -> {
            List<Class<?>> types = new ArrayList<>();
            for (String apiPackage : new TreeSet<>(apiPackages)) {
                Path directory = root.resolve(apiPackage.replace('.', '/'));
                if (!Files.isDirectory(directory)) {
                    throw new AssertionError("API package " + apiPackage + " has no classes in " + location);
                }
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : files.sorted().toList()) {
                        String fileName = file.getFileName().toString();
                        if (!fileName.endsWith(".class") || fileName.equals("package-info.class")) {
                            continue;
                        }
                        String className = apiPackage + "." + fileName.substring(0, fileName.length() - 6);
                        Class<?> type = Class.forName(className, false, anchor.getClassLoader());
                        if (effectivelyPublic(type) && !type.isSynthetic() && !type.isAnonymousClass()) {
                            types.add(type);
                        }
                    }
                }
            }
            return types;
        });
    }

    private static boolean effectivelyPublic(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isLocalClass() || t.isAnonymousClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        boolean protectedAndReachable = Modifier.isProtected(modifiers)
                && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
        return !member.isSynthetic() && (Modifier.isPublic(modifiers) || protectedAndReachable);
    }

    private void checkExecutable(Set<String> leaks, String label, Executable executable) {
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            check(leaks, label + " <" + variable.getName() + ">", variable.getBounds());
        }
        check(leaks, label + " parameters", executable.getGenericParameterTypes());
        check(leaks, label + " throws", executable.getGenericExceptionTypes());
    }

    private void check(Set<String> leaks, String where, Type... types) {
        Set<Class<?>> mentioned = new HashSet<>();
        for (Type type : types) {
            collect(type, mentioned, new HashSet<>());
        }
        for (Class<?> type : mentioned) {
            if (internal(type.getPackageName())) {
                leaks.add(where + " mentions " + type.getName());
            }
        }
    }

    private static void collect(Type type, Set<Class<?>> into, Set<TypeVariable<?>> seen) {
        if (type instanceof Class<?> plain) {
            Class<?> element = plain;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            into.add(element);
        } else if (type instanceof ParameterizedType parameterized) {
            collect(parameterized.getRawType(), into, seen);
            if (parameterized.getOwnerType() != null) {
                collect(parameterized.getOwnerType(), into, seen);
            }
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, into, seen);
            }
        } else if (type instanceof WildcardType wildcard) {
            Stream.concat(Arrays.stream(wildcard.getUpperBounds()), Arrays.stream(wildcard.getLowerBounds()))
                    .forEach(bound -> collect(bound, into, seen));
        } else if (type instanceof GenericArrayType array) {
            collect(array.getGenericComponentType(), into, seen);
        } else if (type instanceof TypeVariable<?> variable && seen.add(variable)) {
            for (Type bound : variable.getBounds()) {
                collect(bound, into, seen);
            }
        }
    }

    private boolean internal(String packageName) {
        boolean own = packageName.equals(rootPackage) || packageName.startsWith(rootPackage + ".");
        return own && !apiPackages.contains(packageName);
    }

    private static String parameters(Executable executable) {
        return Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Runs {@code action} on the root of the classes, opening the jar if they are in one. */
    private <T> T withClasses(ClassesAction<T> action) {
        try {
            if (Files.isDirectory(location)) {
                return action.apply(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return action.apply(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface ClassesAction<T> {
        T apply(Path root) throws IOException, ClassNotFoundException;
    }
}
