package org.jmapi.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jmapi completion}: prints the bash/zsh completion script picocli generates from the command model
 * ({@code source <(./jmapi completion)}). The same script is kept in {@code completion/jmapi_completion}; a test
 * checks it is current.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the bash/zsh completion script: source <(jmapi completion).")
final class CompletionCommand extends BaseCommand {
    @Override
    int run() {
        spec.commandLine().getOut().print(script());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** @return the completion script for the whole jmapi command */
    static String script() {
        CommandLine root = new CommandLine(new Jmapi(java.util.Map.of(), System.in));
        return AutoComplete.bash("jmapi", root);
    }
}
