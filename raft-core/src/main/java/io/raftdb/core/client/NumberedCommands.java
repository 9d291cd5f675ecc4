package io.raftdb.core.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands of the current session that wait for their replies, in the order of their
 * numbers (they are numbered as they join), linked through the calls themselves: the lowest
 * number still waiting, which every request carries, is the head, and a reply removes its
 * command wherever it sits without a search. Guarded by the client's lock.
 */
final class NumberedCommands {
  private ClientCall head;
  private ClientCall tail;

  /** Appends {@code call}, numbered after every command already here. */
  void add(ClientCall call) {
    call.previousCommand = tail;
    call.nextCommand = null;
    if (tail == null) {
      head = call;
    } else {
      tail.nextCommand = call;
    }
    tail = call;
  }

  /** Removes {@code call} if it is here. */
  void remove(ClientCall call) {
    if (call != head && call.previousCommand == null) {
      return; // not here: only the head has no previous command
    }
    if (call.previousCommand == null) {
      head = call.nextCommand;
    } else {
      call.previousCommand.nextCommand = call.nextCommand;
    }
    if (call.nextCommand == null) {
      tail = call.previousCommand;
    } else {
      call.nextCommand.previousCommand = call.previousCommand;
    }
    call.previousCommand = null;
    call.nextCommand = null;
  }

  boolean isEmpty() {
    return head == null;
  }

  /** The command with the lowest number; the list must not be empty. */
  ClientCall first() {
    return head;
  }

  /** The commands, for a pass that may end them. */
  List<ClientCall> toList() {
    List<ClientCall> calls = new ArrayList<>();
    for (ClientCall c = head; c != null; c = c.nextCommand) {
      calls.add(c);
    }
    return calls;
  }
}
