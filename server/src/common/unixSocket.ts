/** Connecting to a Unix socket (the host's), as a promise: resolves once connected, rejects with the connect error. */
import * as net from 'node:net';

export function connectSocket(file: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(file);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
