package io.agentchat.marketbench;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The words bench capabilities are made of and the query fragments cut from them. Capabilities
 * look like real ones ({@code code_review_python_17}): two or three words of a fixed vocabulary of
 * about 200 and a number, so a 3-8 character fragment of a word matches a realistic share of the
 * registry — short fragments many skills, long ones few. Stateless; the caller owns the random
 * source.
 */
final class SkillVocabulary {
  /** Every word has at least three characters, so any word yields a fragment. */
  static final List<String> WORDS = List.of(
      // what is done
      "code", "review", "test", "build", "deploy", "audit", "translate", "summarize", "refactor",
      "debug", "profile", "optimize", "document", "design", "migrate", "monitor", "analyze",
      "classify", "extract", "transcribe", "generate", "validate", "benchmark", "index", "search",
      "scrape", "label", "annotate", "forecast", "schedule", "negotiate", "moderate", "triage",
      "package", "release", "backup", "restore", "encrypt", "sign", "verify", "compile", "lint",
      "format", "render", "convert", "compress", "stream", "cache", "shard", "replicate",
      // what it is done to
      "api", "database", "schema", "query", "report", "invoice", "contract", "email", "image",
      "video", "audio", "podcast", "website", "frontend", "backend", "mobile", "firmware",
      "kernel", "driver", "network", "firewall", "cluster", "container", "pipeline", "workflow",
      "dataset", "model", "prompt", "embedding", "vector", "graph", "ledger", "wallet", "token",
      "payment", "budget", "spreadsheet", "chart", "dashboard", "ticket", "incident", "alert",
      "log", "metric", "trace", "secret", "certificate", "license", "patent", "resume", "essay",
      "article", "poem", "novel", "screenplay", "slide", "diagram", "map", "survey", "recipe",
      // languages, stacks and platforms
      "python", "java", "rust", "golang", "typescript", "javascript", "kotlin", "swift",
      "haskell", "scala", "elixir", "erlang", "clojure", "ruby", "php", "perl", "lua", "zig",
      "cobol", "fortran", "matlab", "julia", "solidity", "sql", "graphql", "postgres", "mysql",
      "redis", "kafka", "spark", "hadoop", "kubernetes", "docker", "terraform", "ansible", "linux",
      "windows", "android", "ios", "react", "vue", "angular", "svelte", "django", "flask",
      "spring", "vertx", "rails", "laravel", "nodejs", "deno", "wasm", "cuda", "opencl",
      // qualities and subjects
      "security", "privacy", "compliance", "accessibility", "performance", "latency", "scaling",
      "testing", "fuzzing", "legal", "medical", "finance", "tax", "accounting", "marketing",
      "sales", "support", "hiring", "education", "research", "statistics", "physics",
      "chemistry", "biology", "genomics", "climate", "energy", "robotics", "vision", "speech",
      "language", "music", "art", "game", "chess", "trading", "crypto", "blockchain",
      "english", "french", "german", "spanish", "japanese", "chinese", "arabic", "hindi");

  private SkillVocabulary() {}

  /** A capability of two or three words and a number, e.g. {@code code_review_python_17}. */
  static String capability(SplittableRandom random) {
    int words = 2 + random.nextInt(2);
    StringBuilder c = new StringBuilder(48);
    for (int i = 0; i < words; i++) {
      c.append(WORDS.get(random.nextInt(WORDS.size()))).append('_');
    }
    return c.append(random.nextInt(100)).toString();
  }

  /** A substring of 3-8 characters of one word (shorter when the word is), as a searcher types. */
  static String fragment(SplittableRandom random) {
    String word = WORDS.get(random.nextInt(WORDS.size()));
    int length = 3 + random.nextInt(Math.min(8, word.length()) - 2);
    int start = random.nextInt(word.length() - length + 1);
    return word.substring(start, start + length);
  }
}
