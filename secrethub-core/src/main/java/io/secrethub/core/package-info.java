/**
 * The public API of SecretHub: {@link io.secrethub.core.SecretHub}, its builder and facades
 * ({@link io.secrethub.core.Sys}, {@link io.secrethub.core.Secrets}, {@link io.secrethub.core.Audit}, …),
 * their value types, and the exceptions, all under {@link io.secrethub.core.SecretHubException}. With the
 * policy language in {@code io.secrethub.core.policy}, this is everything the module exports; every other
 * sub-package is internal ({@code module-info.java}, checked by {@code ApiBoundaryTest}).
 */
package io.secrethub.core;
