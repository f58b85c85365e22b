/**
 * The media plane (SPEC MD-1, MD-2, MD-4, MD-5; DESIGN 3a): RTP over Netty UDP for answered calls.
 *
 * <p>{@link io.vmport.engine.media.MediaPlane} owns the RTP port range and a few event loops; each
 * {@link io.vmport.engine.media.MediaSession} is one UDP channel on an even port, living on one loop, where its
 * whole state is touched and its {@link io.vmport.engine.media.MediaListener} called. One {@code Pacer} per loop
 * sends every session's next 20 ms frame on a drift-free schedule. The logic is in small socket-free classes
 * stepped by tests: {@code RtpPacket} (header codec), {@code G711} (tables), {@code ReorderBuffer},
 * {@code Recording} with {@code SilenceDetector}, {@code DtmfEvents} (RFC 4733), {@code PacingSchedule},
 * {@code PortPool}.
 */
package io.vmport.engine.media;
