package io.secrethub.server.http;

/** Vault's logical operations, from the HTTP method (and {@code ?list=true}). */
public enum Operation {
    READ, LIST, UPDATE, DELETE, HEAD
}
