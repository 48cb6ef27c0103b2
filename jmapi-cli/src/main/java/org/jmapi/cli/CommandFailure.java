package org.jmapi.cli;

/**
 * A command cannot do what it was asked, for a reason a person can fix (a bad address, a missing folder, a file
 * that is not there). Its message is printed as the one error line; the exit code is {@link Jmapi#EXIT_FAILURE}.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the line to print, without the "jmapi: " prefix */
    CommandFailure(String message) {
        super(message);
    }
}
