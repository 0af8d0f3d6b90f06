package dev.depthwise.train;

/**
 * Thrown when the training loss stops being a finite number: the weights have blown up, almost always
 * because the learning rate is too high for the model (or the data are not scaled). It is an
 * {@link IllegalArgumentException} because the fix lies in the arguments of the run: the command line
 * reports it like any bad input, with its message and no stack trace.
 */
public class TrainingDivergedException extends IllegalArgumentException {

    /** Creates the exception with the complete message. */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
