/**
 * The public API of SecretHub: {@link io.secrethub.core.SecretHub} and its facades
 * ({@link io.secrethub.core.Sys}, {@link io.secrethub.core.Secrets}, {@link io.secrethub.core.Audit}),
 * their value types, and the exceptions, all under {@link io.secrethub.core.SecretHubException}.
 * Sub-packages are internal.
 */
package io.secrethub.core;
