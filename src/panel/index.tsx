import '../ui/base.css';
import { render } from 'preact';

function Panel() {
  return <main class="empty">No 401s yet in this tab.</main>;
}

render(<Panel />, document.getElementById('app')!);
