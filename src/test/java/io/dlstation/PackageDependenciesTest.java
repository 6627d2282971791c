package io.dlstation;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The package map: which package of dlstation may import which. {@link #MAY_IMPORT} is the table
 * (docs/DEVELOPING.md draws it; {@link PackageMapDocTest} keeps the two equal), checked on the compiled
 * main classes, every dependency counted (imports, calls, fields, signatures). The named rules after it
 * say the same for the boundaries that matter most, so a failure reads as the rule that was broken.
 *
 * <p>A package not in the table fails the build: a new package gets its row, deliberately.
 */
@AnalyzeClasses(packages = "io.dlstation", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {
    static final String ROOT = "io.dlstation";
    /** What {@code cli} may import: every package but the root, since it wires the capabilities together. */
    static final String EVERY_PACKAGE = "every package";

    /**
     * Each package (relative to {@code io.dlstation}; the root package by its full name) and the packages
     * of dlstation it may import besides itself. Libraries are the named rules' business.
     */
    static final Map<String, Set<String>> MAY_IMPORT = table(
            "time", "",
            "error", "",
            "gpu", "",
            "host", "",
            "files", "error",
            "tensorboard", "error",
            "maintain.task", "error",
            "engine.libtorch", "error",
            "text", "error files",
            "data", "error time",
            "serve.wlm", "error time",
            "engine", "engine.libtorch error files gpu",
            "maintain", "error files maintain.task",
            "serve.protocol", "data error",
            "config", "engine error files maintain.task",
            "models.nn", "engine",
            "info", "engine engine.libtorch error gpu host",
            "serve.loadgen", "error files serve.protocol time",
            "models", "config engine error files models.nn",
            "monitor", "config error gpu host tensorboard time",
            "train.step", "engine error models.nn",
            "train", "data engine error files models models.nn tensorboard time train.step",
            "serve", "engine error models models.nn serve.protocol serve.wlm time",
            "bench", "engine error files gpu info models models.nn time train train.step",
            "serve.http", "engine error models serve serve.protocol serve.wlm time",
            "quickstart", "data engine error models models.nn serve serve.http time train train.step",
            "cli", EVERY_PACKAGE,
            ROOT, "cli engine");

    @ArchTest
    static final ArchRule everyPackageHasARowInTheMap = classes()
            .should().resideInAnyPackage(MAY_IMPORT.keySet().stream().map(PackageDependenciesTest::fullName)
                    .toArray(String[]::new))
            .as("every package of dlstation has a row in the package map");

    @ArchTest
    static final ArchRule packagesImportOnlyWhatTheMapAllows = classes()
            .should(importOnlyWhatTheMapAllows())
            .as("each package imports only the packages its row of the package map names");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.dlstation.(**)")
            .should().beFreeOfCycles()
            .as("no two packages of dlstation import each other, directly or round a cycle");

    @ArchTest
    static final ArchRule sharedPiecesNeverImportTheCli = noClasses()
            .that().resideOutsideOfPackages(ROOT, "io.dlstation.cli")
            .should().dependOnClassesThat().resideInAPackage("io.dlstation.cli..")
            .as("shared pieces never import the CLI; only the entry point does");

    @ArchTest
    static final ArchRule timeImportsNothingElseOfDlstation = noClasses()
            .that().resideInAPackage("io.dlstation.time")
            .should().dependOnClassesThat(resideInAPackage("io.dlstation..")
                    .and(not(resideInAPackage("io.dlstation.time"))))
            .as("time imports nothing else of dlstation");

    @ArchTest
    static final ArchRule errorImportsNothingElseOfDlstation = noClasses()
            .that().resideInAPackage("io.dlstation.error")
            .should().dependOnClassesThat(resideInAPackage("io.dlstation..")
                    .and(not(resideInAPackage("io.dlstation.error"))))
            .as("error imports nothing else of dlstation");

    @ArchTest
    static final ArchRule theWorkLoadManagerKnowsNothingOfTheEngineHttpOrDjl = noClasses()
            .that().resideInAPackage("io.dlstation.serve.wlm")
            .should().dependOnClassesThat().resideInAnyPackage("io.dlstation.engine..", "io.dlstation.serve.http..",
                    "org.eclipse.jetty..", "ai.djl..")
            .as("serve.wlm imports neither the engine nor HTTP nor DJL");

    @ArchTest
    static final ArchRule theWireFormatHasNoServerAndNoEngine = noClasses()
            .that().resideInAPackage("io.dlstation.serve.protocol")
            .should().dependOnClassesThat().resideInAnyPackage("io.dlstation.engine..", "io.dlstation.serve",
                    "io.dlstation.serve.http..", "org.eclipse.jetty..", "ai.djl..")
            .as("serve.protocol imports neither the engine, DJL, the server nor HTTP");

    @ArchTest
    static final ArchRule configSitsBelowTheCapabilitiesThatReadIt = noClasses()
            .that().resideInAPackage("io.dlstation.config")
            .should().dependOnClassesThat().resideInAnyPackage("io.dlstation.maintain", "io.dlstation.monitor..",
                    "io.dlstation.serve..", "io.dlstation.train..", "io.dlstation.bench..", "io.dlstation.models..")
            .as("config imports none of the capabilities that read it (maintain, monitor, serve, train, bench, "
                    + "models)");

    @ArchTest
    static final ArchRule maintenanceRunsWithoutTheEngine = noClasses()
            .that().resideInAPackage("io.dlstation.maintain..")
            .should().dependOnClassesThat().resideInAnyPackage("io.dlstation.engine..", "ai.djl..")
            .as("maintain imports neither the engine nor DJL: it runs on any machine");

    @ArchTest
    static final ArchRule theStepKnowsNothingOfTheRun = noClasses()
            .that().resideInAPackage("io.dlstation.train.step")
            .should().dependOnClassesThat().resideInAnyPackage("io.dlstation.train", "io.dlstation.data..",
                    "io.dlstation.tensorboard..")
            .as("train.step imports nothing of the run around it (train, data, tensorboard)");

    @ArchTest
    static final ArchRule djlStaysWithTheCodeThatRunsModels = noClasses()
            .that().resideOutsideOfPackages("io.dlstation.engine..", "io.dlstation.models..", "io.dlstation.train..",
                    "io.dlstation.bench", "io.dlstation.serve", "io.dlstation.serve.http", "io.dlstation.quickstart",
                    "io.dlstation.cli")
            .should().dependOnClassesThat(resideInAPackage("ai.djl..")
                    .and(not(resideInAPackage("ai.djl.huggingface.tokenizers.."))))
            .as("DJL is imported only where models run: engine, models, train, bench, serve, serve.http, "
                    + "quickstart and the CLI");

    @ArchTest
    static final ArchRule tokenizersOnlyInText = noClasses()
            .that().resideOutsideOfPackage("io.dlstation.text")
            .should().dependOnClassesThat().resideInAPackage("ai.djl.huggingface..")
            .as("Hugging Face's tokenizers are imported only by text");

    @ArchTest
    static final ArchRule jettyOnlyInServeHttp = noClasses()
            .that().resideOutsideOfPackage("io.dlstation.serve.http")
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
            .as("Jetty is imported only by serve.http");

    @ArchTest
    static final ArchRule picocliOnlyInTheCli = noClasses()
            .that().resideOutsideOfPackage("io.dlstation.cli")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .as("picocli is imported only by the CLI");

    @ArchTest
    static final ArchRule jnaOnlyInTheNativeBindings = noClasses()
            .that().resideOutsideOfPackages("io.dlstation.gpu", "io.dlstation.engine.libtorch")
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
            .as("JNA is imported only by gpu (NVML) and engine.libtorch");

    @ArchTest
    static final ArchRule oshiOnlyInHost = noClasses()
            .that().resideOutsideOfPackage("io.dlstation.host")
            .should().dependOnClassesThat().resideInAPackage("oshi..")
            .as("OSHI is imported only by host");

    private static ArchCondition<JavaClass> importOnlyWhatTheMapAllows() {
        return new ArchCondition<>("import only what the package map allows") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String from = shortName(item.getPackageName());
                Set<String> allowed = MAY_IMPORT.get(from);
                if (allowed == null) {
                    return; // fails everyPackageHasARowInTheMap
                }
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                    if (!isDlstation(target) || shortName(target).equals(from)
                            || mayImport(allowed, shortName(target))) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription() + ": " + from
                            + " may not import " + shortName(target) + " (its row of the package map allows: "
                            + (allowed.isEmpty() ? "nothing" : String.join(", ", allowed)) + ")"));
                }
            }
        };
    }

    private static boolean mayImport(Set<String> allowed, String target) {
        return allowed.contains(target) || allowed.contains(EVERY_PACKAGE) && !target.equals(ROOT);
    }

    private static boolean isDlstation(String packageName) {
        return packageName.equals(ROOT) || packageName.startsWith(ROOT + ".");
    }

    static String shortName(String packageName) {
        return packageName.equals(ROOT) ? ROOT : packageName.substring(ROOT.length() + 1);
    }

    static String fullName(String shortName) {
        return shortName.equals(ROOT) ? ROOT : ROOT + "." + shortName;
    }

    private static Map<String, Set<String>> table(String... rows) {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (int i = 0; i < rows.length; i += 2) {
            SortedSet<String> allowed = new TreeSet<>();
            for (String name : rows[i + 1].equals(EVERY_PACKAGE) ? new String[] {EVERY_PACKAGE}
                    : rows[i + 1].split(" ")) {
                if (!name.isEmpty()) {
                    allowed.add(name);
                }
            }
            table.put(rows[i], Collections.unmodifiableSortedSet(allowed));
        }
        return Collections.unmodifiableMap(table);
    }
}
