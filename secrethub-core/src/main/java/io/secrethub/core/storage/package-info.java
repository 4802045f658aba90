/**
 * PostgreSQL access: connections, transactions, error translation and the Flyway-owned schema
 * ({@code db/migration} on the classpath). Internal: not part of the public API.
 */
package io.secrethub.core.storage;
