package io.secrethub.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vault's documented policy examples and priority-matching rules
 * (https://developer.hashicorp.com/vault/docs/concepts/policies), as a table.
 *
 * <p>Rules notation: policies separated by {@code &}, rules by {@code ,}, and each rule is
 * {@code pattern=cap:cap}.
 */
class AclPrecedenceTest {

    @ParameterizedTest(name = "[{0}] {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
        # --- documented examples: exact paths, globs, segment wildcards ---
        secret/foo=read                                    | secret/foo              | read   | true
        secret/foo=read                                    | secret/food             | read   | false
        secret/foo=read                                    | secret/foo/bar          | read   | false
        secret/bar/*=read                                  | secret/bar/zip          | read   | true
        secret/bar/*=read                                  | secret/bar/zip/zap      | read   | true
        secret/bar/*=read                                  | secret/bars/zip         | read   | false
        secret/zip-*=read                                  | secret/zip-zap          | read   | true
        secret/zip-*=read                                  | secret/zip-zap/zong     | read   | true
        secret/zip-*=read                                  | secret/zip/zap          | read   | false
        secret/+/teamb=read                                | secret/foo/teamb        | read   | true
        secret/+/teamb=read                                | secret/bar/teamb        | read   | true
        secret/+/teamb=read                                | secret/foo/bar/teamb    | read   | false
        secret/+/+/teamb=read                              | secret/foo/bar/teamb    | read   | true
        secret/+/+/teamb=read                              | secret/foo/teamb        | read   | false
        secret/+/teamb=read                                | secret/foo/teamb        | update | false
        # --- documented example: an exact deny carved out of a broad grant ---
        secret/*=create:read:update:delete:list, secret/super-secret=deny | secret/super-secret | read   | false
        secret/*=create:read:update:delete:list, secret/super-secret=deny | secret/super-secret | list   | false
        secret/*=create:read:update:delete:list, secret/super-secret=deny | secret/other        | update | true
        # --- documented example: secret/* outranks secret/+/+/foo/* (same first wildcard, fewer +) ---
        secret/*=read, secret/+/+/foo/*=deny               | secret/a/b/foo/c        | read   | true
        secret/*=deny, secret/+/+/foo/*=read               | secret/a/b/foo/c        | read   | false
        # --- an exact path beats every pattern, allowing or denying ---
        secret/*=deny, secret/app=read                     | secret/app              | read   | true
        secret/app=read & secret/*=deny                    | secret/app              | read   | true
        secret/app/*=read, secret/app/config=deny          | secret/app/config       | read   | false
        # --- rule 1: the later first wildcard wins ---
        secret/*=read, secret/app/*=deny                   | secret/app/x            | read   | false
        secret/*=deny, secret/app/*=read                   | secret/app/x            | read   | true
        secret/+/x=deny, secret/app/*=read                 | secret/app/x            | read   | true
        secret/+/x=read, secret/app/*=deny                 | secret/app/x            | read   | false
        secret/app/config/*=read, secret/app/*=deny        | secret/app/config/db    | read   | true
        # --- rule 2: same first wildcard; the one not ending in * wins ---
        secret/+/config=read, secret/*=deny                | secret/a/config         | read   | true
        secret/+/config=deny, secret/*=read                | secret/a/config         | read   | false
        secret/+/config=deny, secret/*=read                | secret/a/other          | read   | true
        # --- rule 3: fewer + segments win ---
        secret/+/+/x=deny, secret/+/b/x=read               | secret/a/b/x            | read   | true
        secret/+/+/x=read, secret/+/b/x=deny               | secret/a/b/x            | read   | false
        secret/+/+/*=read, secret/*=deny                   | secret/a/b/c            | read   | false
        # --- rule 4: the longer pattern wins ---
        secret/+/b*=deny, secret/+/bc*=read                | secret/a/bcd            | read   | true
        secret/+/b*=read, secret/+/bc*=deny                | secret/a/bcd            | read   | false
        secret/+/b*=read, secret/+/bc*=deny                | secret/a/bxd            | read   | true
        # --- rule 5: the lexicographically larger pattern wins ---
        secret/+/x/+=read, secret/+/+/y=deny               | secret/a/x/y            | read   | true
        secret/+/x/+=deny, secret/+/+/y=read               | secret/a/x/y            | read   | false
        # --- the same pattern in several policies: union, and deny absorbs ---
        secret/data/*=read & secret/data/*=update          | secret/data/app         | read   | true
        secret/data/*=read & secret/data/*=update          | secret/data/app         | update | true
        secret/data/*=read & secret/data/*=update          | secret/data/app         | delete | false
        secret/data/*=read & secret/data/*=deny            | secret/data/app         | read   | false
        secret/data/*=deny & secret/data/*=read:sudo       | secret/data/app         | sudo   | false
        secret/app=read & secret/app=list                  | secret/app              | list   | true
        secret/app=read & secret/app=deny                  | secret/app              | read   | false
        # --- deny decides only on its own rule: a higher-priority grant is untouched ---
        secret/*=deny & secret/app/*=read                  | secret/app/key          | read   | true
        secret/*=deny:sudo & secret/app/*=read             | secret/app/key          | sudo   | false
        secret/app=deny:read                               | secret/app              | read   | false
        # --- + is exactly one segment; * may follow a + pattern ---
        secret/+=read                                      | secret/a                | read   | true
        secret/+=read                                      | secret/a/b              | read   | false
        secret/+/app*=read                                 | secret/x/apple/y        | read   | true
        secret/+/app*=read                                 | secret/x/y/app          | read   | false
        secret/+/*=read                                    | secret/a                | read   | false
        secret/+/*=read                                    | secret/a/b/c            | read   | true
        +/data/*=read                                      | kv/data/app             | read   | true
        *=read                                             | anything/at/all         | read   | true
        # --- no matching rule: nothing allowed ---
        secret/app/*=read                                  | other/app/x             | read   | false
        secret/app/*=read                                  | secret/app              | read   | false
        # --- list: a trailing slash is also tried without it, as Vault does ---
        secret/metadata/app=list                           | secret/metadata/app/    | list   | true
        secret/metadata/app*=list                          | secret/metadata/app/    | list   | true
        secret/metadata/app/*=list                         | secret/metadata/app/    | list   | true
        secret/metadata/app=read                           | secret/metadata/app/    | read   | false
        """)
    void vaultPriorityMatching(String rules, String path, String capability, boolean expected) {
        Acl acl = Acl.compile(policies(rules));
        Capability wanted = Capability.fromVaultName(capability).orElseThrow();

        assertThat(acl.allowed(path, wanted)).isEqualTo(expected);
    }

    static List<Policy> policies(String notation) {
        List<Policy> policies = new ArrayList<>();
        String[] documents = notation.split("&");
        for (int i = 0; i < documents.length; i++) {
            Policy.Builder builder = Policy.builder("p" + i);
            for (String rule : documents[i].split(",")) {
                String[] parts = rule.trim().split("=");
                List<Capability> capabilities = new ArrayList<>();
                for (String name : parts[1].split(":")) {
                    capabilities.add(Capability.fromVaultName(name).orElseThrow());
                }
                builder.path(parts[0], capabilities);
            }
            policies.add(builder.build());
        }
        return policies;
    }
}
