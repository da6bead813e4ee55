// The folder the chat works in, for renderers that open files the model named by a relative path.
import { createContext } from 'preact';

export const WorkspaceFolder = createContext<string | null>(null);
