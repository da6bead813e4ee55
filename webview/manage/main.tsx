// Boots the management panel (providers and models, usage, the request log, secrets, their audit).
import { render } from 'preact';
import { ManageApp } from './ManageApp';
import { post } from '../rpc';

render(<ManageApp />, document.getElementById('root') as HTMLElement);
post({ type: 'ready' });
