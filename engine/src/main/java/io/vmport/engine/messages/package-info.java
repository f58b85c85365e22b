/**
 * Messages on their way to the shared database and back (SPEC MS-1, MS-2): the node's spool on disk
 * ({@link io.vmport.engine.messages.MessageSpool}), the writer thread that empties it into the database
 * ({@link io.vmport.engine.messages.MessageWriter}) and the conversation's message store over both
 * ({@link io.vmport.engine.messages.DatabaseMessageStore}).
 */
package io.vmport.engine.messages;
