package io.vmport.engine.conversation;

import java.util.ArrayList;
import java.util.List;

/** The media plane's side of a conversation, recorded: what it was asked to do, in order. */
final class RecordingOutput implements ConversationOutput {
    /** Every request in order, e.g. {@code play}, {@code stopPlayback}, {@code startRecording 300000 10000}. */
    final List<String> requests = new ArrayList<>();
    final List<List<Clip>> plays = new ArrayList<>();
    /** {@code STATE mailbox} per change (MD-6). */
    final List<String> states = new ArrayList<>();

    @Override
    public void play(List<Clip> clips) {
        requests.add("play");
        plays.add(clips);
    }

    @Override
    public void stopPlayback() {
        requests.add("stopPlayback");
    }

    @Override
    public void startRecording(long maxMs, long silenceMs) {
        requests.add("startRecording " + maxMs + " " + silenceMs);
    }

    @Override
    public void stopRecording() {
        requests.add("stopRecording");
    }

    @Override
    public void hangUp() {
        requests.add("hangUp");
    }

    @Override
    public void stateChanged(ConversationState state, String mailbox, long nowNs) {
        states.add(state + " " + mailbox);
    }

    List<Clip> lastPlay() {
        return plays.get(plays.size() - 1);
    }

    String lastRequest() {
        return requests.get(requests.size() - 1);
    }

    long count(String request) {
        return requests.stream().filter(request::equals).count();
    }
}
