/**
 * PostgreSQL access: connections, transactions, error translation and the Flyway-owned schema
 * ({@code META-INF/secrethub/migrations} in the jar). Internal: not part of the public API.
 */
package io.secrethub.core.storage;
