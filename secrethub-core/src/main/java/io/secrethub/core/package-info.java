package io.secrethub.core;
