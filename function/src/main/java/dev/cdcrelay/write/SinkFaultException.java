package dev.cdcrelay.write;

/** Thrown while preparing the sink when a {@link SinkFault} stops all writing. */
public final class SinkFaultException extends Exception {

    private final transient SinkFault fault;

    public SinkFaultException(SinkFault fault) {
        super(fault.message());
        this.fault = fault;
    }

    public SinkFault fault() {
        return fault;
    }
}
