package io.dlstation.cli;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.maintain.BackupRestorer;
import io.dlstation.maintain.BackupVerifier;
import io.dlstation.maintain.FileCopier;
import io.dlstation.maintain.task.ByteSize;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlstation maintain restore} and {@code verify}: they read a backup folder and need no config. */
final class MaintainBackupCommands {
    private MaintainBackupCommands() {}

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore a backup into a new or empty folder, checking every file against the manifest.")
    static final class Restore extends MaintainCommand.Verb {
        @Parameters(index = "0", paramLabel = "BACKUP", description = "A backup folder (NAME-TIMESTAMP, with manifest.json).")
        Path backup;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "Where to restore; must not exist or be empty.")
        Path target;

        @Option(names = "--dry-run", description = "List the files that would be written; change nothing.")
        boolean dryRun;

        Restore(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try {
                BackupRestorer.RestoreResult r = new BackupRestorer(FileCopier.hashing())
                        .restore(resolve(backup), resolve(target), dryRun);
                if (json) {
                    printJson(MaintainOutput.fields("backup", r.backup().toString(), "target", r.target().toString(),
                            "files", r.files(), "bytes", r.bytes(), "dry_run", r.dryRun(), "paths", r.paths()));
                } else {
                    MaintainOutput.printRestore(out(), r);
                }
                return 0;
            } catch (IOException e) {
                throw new DlstationException(ErrorCode.INTERNAL, "restore of " + backup + " failed: " + e, e);
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Read every file of a backup again and check it against the manifest.")
    static final class Verify extends MaintainCommand.Verb {
        @Parameters(index = "0", paramLabel = "BACKUP", description = "A backup folder (NAME-TIMESTAMP, with manifest.json).")
        Path backup;

        Verify(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            BackupVerifier.Verification v;
            try {
                v = BackupVerifier.verify(resolve(backup));
            } catch (IOException e) {
                throw new DlstationException(ErrorCode.INTERNAL, "cannot read " + backup + ": " + e.getMessage(), e);
            }
            if (json) {
                printJson(MaintainOutput.fields("folder", v.folder().toString(), "ok", v.ok(), "checked", v.checked(),
                        "bytes", v.bytes(), "problems", v.problems()));
            } else {
                out().printf("%s: %s, %d files (%s) read and checked%n", v.folder(), v.ok() ? "ok" : "DAMAGED",
                        v.checked(), ByteSize.format(v.bytes()));
                v.problems().forEach(p -> out().println("  " + p));
                out().flush();
            }
            return v.ok() ? 0 : ErrorCode.INTERNAL.exitCode();
        }
    }
}
