// Electron's side of the transport: every contract channel handled by the one dispatch function.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../contract';
import type { Dispatch, Sender } from './dispatch';

function senderOf(event: IpcMainInvokeEvent): Sender {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', topFrame: frame !== null && frame.parent === null };
}

export function registerIpc(ipcMain: IpcMain, dispatch: Dispatch): () => void {
  const channels = Object.values(CHANNELS);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => dispatch(channel, payload, senderOf(event)));
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
