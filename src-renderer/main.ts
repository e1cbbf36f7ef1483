import { mount } from 'svelte';
import App from './App.svelte';
import { bridge } from './lib/bridge';
import './lib/theme.css';

mount(App, { target: document.getElementById('app')!, props: { api: bridge() } });
