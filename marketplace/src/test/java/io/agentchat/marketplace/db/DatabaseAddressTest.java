package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseAddressTest {

  @Test
  void aPostgresqlUrlGivesHostPortDatabaseAndCredentials() {
    assertEquals(
        new DatabaseAddress("db.example", 6543, "market", "app", "p@ss:word"),
        DatabaseAddress.parse("postgresql://app:p%40ss:word@db.example:6543/market"));
  }

  @Test
  void aJdbcUrlWithCredentialsInTheQueryIsAccepted() {
    assertEquals(
        new DatabaseAddress("localhost", 5432, "market", "app", "pw"),
        DatabaseAddress.parse("jdbc:postgresql://localhost/market?user=app&password=pw"));
  }

  @Test
  void portUserAndDatabaseHaveLibpqDefaults() {
    assertEquals(
        new DatabaseAddress("h", 5432, "postgres", "postgres", null),
        DatabaseAddress.parse("postgres://h"));
    assertEquals(
        new DatabaseAddress("h", 5432, "bob", "bob", null),
        DatabaseAddress.parse("postgresql://bob@h/"));
  }

  @Test
  void anIpv6HostKeepsItsBracketsInUrlsOnly() {
    DatabaseAddress a = DatabaseAddress.parse("postgresql://u@[::1]:5433/d");
    assertEquals("::1", a.host());
    assertEquals("[::1]:5433", a.hostAndPort());
    assertEquals("jdbc:postgresql://[::1]:5433/d?connectTimeout=5&loginTimeout=10", a.jdbcUrl());
  }

  @Test
  void thePasswordShowsInTheFullUrlButNeverInToString() {
    DatabaseAddress a = new DatabaseAddress("h", 1, "d b", "u", "p w/x");
    assertEquals(a, DatabaseAddress.parse(a.toUrl()));
    assertFalse(a.toString().contains("p w"), a.toString());
    assertEquals("postgresql://u@h:1/d b", a.toString());
  }

  @Test
  void otherSchemesAndUnknownParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DatabaseAddress.parse("mysql://h/d"));
    assertThrows(
        IllegalArgumentException.class,
        () -> DatabaseAddress.parse("postgresql://h/d?sslmode=require"));
    assertThrows(IllegalArgumentException.class, () -> DatabaseAddress.parse("postgresql:///d"));
  }
}
