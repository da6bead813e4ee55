// Boots the chat UI inside the VS Code webview.
import { render } from 'preact';
import { App } from './components/App';
import { post } from './rpc';

render(<App />, document.getElementById('root') as HTMLElement);
post({ type: 'ready' });
