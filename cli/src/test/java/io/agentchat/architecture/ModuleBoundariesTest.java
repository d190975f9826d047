package io.agentchat.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module lines of README.md's layout, as rules over the compiled production classes of every
 * module (cli depends on them all, so all of them are on its test classpath):
 *
 * <pre>
 * cli → bench → client; cli → relay, marketplace and the settlement plug-ins;
 * plug-ins (reputation, wallet-adapters) → the marketplace's SPI only;
 * relay and marketplace never import each other; everything → protocol, identity.
 * </pre>
 */
class ModuleBoundariesTest {
  /** Each module and the packages it owns. */
  private static final Map<String, List<String>> MODULES = new LinkedHashMap<>();

  static {
    MODULES.put("protocol", List.of("io.agentchat.protocol.."));
    MODULES.put("identity", List.of("io.agentchat.identity.."));
    MODULES.put("relay", List.of("io.agentchat.relay.."));
    MODULES.put("marketplace", List.of("io.agentchat.marketplace.."));
    MODULES.put("client", List.of("io.agentchat.client.."));
    MODULES.put("bench", List.of("io.agentchat.bench..", "io.agentchat.marketbench.."));
    MODULES.put("reputation", List.of("io.agentchat.reputation.."));
    MODULES.put("wallet-adapters", List.of("io.agentchat.wallet.."));
    MODULES.put("cli", List.of("io.agentchat.cli..", "io.agentchat.server.."));
  }

  /** What each module may use besides itself. */
  private static final Map<String, Set<String>> USES =
      Map.of(
          "protocol", Set.of(),
          "identity", Set.of(),
          "relay", Set.of("protocol", "identity"),
          "marketplace", Set.of("protocol", "identity"),
          "client", Set.of("protocol", "identity"),
          "bench", Set.of("client", "protocol", "identity", "reputation"),
          // Plug-ins reach the marketplace through its SPI only (checked separately below).
          "reputation", Set.of("protocol", "identity", "marketplace"),
          "wallet-adapters", Set.of("protocol", "identity", "marketplace"),
          "cli", MODULES.keySet());

  private static final String SPI = "io.agentchat.marketplace.spi..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test jars of other modules (relay's WireClient, client's LocalRelay) are tests too.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.agentchat");
  }

  private static String[] packagesOf(String module) {
    return MODULES.get(module).toArray(new String[0]);
  }

  @Test
  void eachModuleUsesOnlyTheModulesTheLayoutAllowsIt() {
    for (String module : MODULES.keySet()) {
      List<String> forbidden = new ArrayList<>();
      for (String other : MODULES.keySet()) {
        if (!other.equals(module) && !USES.get(module).contains(other)) {
          forbidden.addAll(MODULES.get(other));
        }
      }
      if (forbidden.isEmpty()) {
        continue;
      }
      noClasses()
          .that()
          .resideInAnyPackage(packagesOf(module))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(new String[0]))
          .because(module + " may use only " + USES.get(module))
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void settlementPluginsSeeTheMarketplaceOnlyThroughItsSpi() {
    for (String plugin : List.of("reputation", "wallet-adapters")) {
      noClasses()
          .that()
          .resideInAnyPackage(packagesOf(plugin))
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("io.agentchat.marketplace..").and(resideOutsideOfPackage(SPI)))
          .because("the marketplace never knows its plug-ins, and they know only its SPI")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void implementationAndStoragePackagesAreUsedOnlyInsideTheirModule() {
    for (String module : MODULES.keySet()) {
      List<String> internal = new ArrayList<>();
      for (String root : MODULES.get(module)) {
        String base = root.substring(0, root.length() - 2);
        internal.add(base + ".impl..");
        internal.add(base + ".store..");
      }
      noClasses()
          .that()
          .resideOutsideOfPackages(packagesOf(module))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(internal.toArray(new String[0]))
          .because(module + "'s impl and store packages are its own")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void theMarketplaceSpiDependsOnNoOtherPartOfTheMarketplace() {
    noClasses()
        .that()
        .resideInAPackage(SPI)
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("io.agentchat.marketplace..").and(resideOutsideOfPackage(SPI)))
        .because("plug-ins compile against the SPI alone")
        .check(classes);
  }

  @Test
  void modulesHaveNoCycles() {
    slices().matching("io.agentchat.(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * Within a module, packages form no cycle either, with one kind of edge set aside: an API
   * package's calls into its own {@code impl} package. That is the layout STYLE.md asks for (the
   * few public types, whose static factories such as {@code Marketplace.start} hand over to the
   * implementation, beside an {@code impl} that implements them), and it is a cycle by
   * construction; every other edge counts.
   */
  @Test
  void packagesHaveNoCyclesBesidesAnApiCallingItsOwnImplementation() {
    SliceRule rule = slices().matching("io.agentchat.(**)").should().beFreeOfCycles();
    for (JavaPackage api : classes.getPackage("io.agentchat").getSubpackagesInTree()) {
      String impl = api.getName() + ".impl";
      rule = rule.ignoreDependency(resideInAPackage(api.getName()), resideInAPackage(impl));
    }
    rule.check(classes);
  }
}
